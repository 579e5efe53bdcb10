// Types for @xmpp/client 0.14, which ships none. Only what connection.ts uses.
declare module '@xmpp/client' {
  import type { Element, xml as xmlFn } from '@xmpp/xml';

  interface Emitter {
    on(event: string, listener: (...args: any[]) => void): void;
    removeListener(event: string, listener: (...args: any[]) => void): void;
  }

  export interface IqContext {
    stanza: Element;
    element: Element;
    from: string;
  }

  export interface XmppClient extends Emitter {
    jid: { toString(): string } | null;
    status: string;
    start(): Promise<{ toString(): string }>;
    stop(): Promise<void>;
    disconnect(): Promise<void>;
    send(...elements: Element[]): Promise<void>;
    iqCaller: { request(iq: Element, timeout?: number): Promise<Element> };
    iqCallee: {
      set(ns: string, name: string, handler: (ctx: IqContext) => Element | true | Promise<Element | true>): void;
      get(ns: string, name: string, handler: (ctx: IqContext) => Element | true | Promise<Element | true>): void;
    };
    reconnect: Emitter & { stop(): void; start(): void; delay: number };
    streamManagement: Emitter & { enabled: boolean };
    socket?: { socket?: WebSocket } | null;
  }

  export function client(options: {
    service: string;
    domain?: string;
    resource?: string;
    username?: string;
    password?: string;
  }): XmppClient;

  export const xml: typeof xmlFn;
}
