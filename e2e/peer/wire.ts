// The peer page's XMPP WebSocket, with every frame passing a shaper: the
// profiles reshape what StanzaJS sends and receives into what another client
// would (RFC 7395: one stanza per WebSocket message). Installed before StanzaJS
// loads, because StanzaJS keeps the WebSocket constructor it finds.

/** One frame on the wire, as the page logs it. */
export interface Frame {
  direction: 'in' | 'out';
  at: number;
  text: string;
}

export interface Shaper {
  /**
   * What goes out instead of `text`: nothing, the same, or other frames.
   * `reply` hands a frame to StanzaJS as if the server had sent it (the
   * result of an IQ the shaper absorbed); `send` sends one later.
   */
  outgoing(text: string, wire: { reply(text: string): void; send(text: string): void }): string[];
  /** What StanzaJS receives instead of `text`. */
  incoming(text: string): string[];
}

const passThrough: Shaper = { outgoing: (text) => [text], incoming: (text) => [text] };

let shaper: Shaper = passThrough;
export const frames: Frame[] = [];

export function useShaper(next: Shaper): void {
  shaper = next;
}

const Native = globalThis.WebSocket;

class ShapedWebSocket extends Native {
  private handler: ((event: MessageEvent) => void) | null = null;

  override get onmessage(): ((event: MessageEvent) => void) | null {
    return this.handler;
  }

  override set onmessage(handler: ((event: MessageEvent) => void) | null) {
    this.handler = handler;
    super.onmessage = (event: MessageEvent) => {
      for (const text of shaper.incoming(String(event.data))) this.deliver(text);
    };
  }

  override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
    const wire = {
      reply: (text: string) => queueMicrotask(() => this.deliver(text)),
      send: (text: string) => this.sendNow(text),
    };
    for (const text of shaper.outgoing(String(data), wire)) this.sendNow(text);
  }

  private sendNow(text: string): void {
    if (this.readyState !== Native.OPEN) return;
    frames.push({ direction: 'out', at: performance.timeOrigin + performance.now(), text });
    super.send(text);
  }

  private deliver(text: string): void {
    frames.push({ direction: 'in', at: performance.timeOrigin + performance.now(), text });
    this.handler?.(new MessageEvent('message', { data: text }));
  }
}

globalThis.WebSocket = ShapedWebSocket as typeof WebSocket;
