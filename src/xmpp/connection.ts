// The XMPP connection: the one module that imports @xmpp/client.
import { client, xml, type XmppClient } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import { createOutbox, NotSentError, PATIENT_DEADLINE_MS } from './outbox.ts';

export { NotSentError, xml };
export type { Element };

export type ConnectionStatus = 'online' | 'reconnecting' | 'offline';
export type StanzaDirection = 'in' | 'out';

export interface ConnectOptions {
  service: string;
  jid: string;
  password: string;
  resource?: string;
}

export type LoginFailure = 'auth' | 'network' | 'protocol';

/** Why logging in failed, in words for the login form. */
export class LoginError extends Error {
  constructor(
    readonly kind: LoginFailure,
    message: string,
  ) {
    super(message);
    this.name = 'LoginError';
  }
}

/** An IQ answered with an error (or none in time), with its conditions. */
export class IqError extends Error {
  constructor(
    /** The RFC 6120 condition, or `remote-server-timeout` when no reply came. */
    readonly condition: string,
    /** The application-specific condition, such as Jingle's `unknown-session`. */
    readonly application?: string,
    readonly text?: string,
  ) {
    super(text ? `${condition}: ${text}` : condition);
    this.name = 'IqError';
  }
}

export interface SendOptions {
  /**
   * Waits minutes, not seconds, for a stream that is down (PATIENT_DEADLINE_MS):
   * for what must reach the peer even late, such as the end of a call.
   */
  patient?: boolean;
}

/** Answers a request IQ: an <error/> element, or true for an empty result. */
export type IqHandler = (iq: Element) => Element | true;

export interface Connection {
  /** Our full JID once bound. */
  readonly jid: string;
  readonly status: ConnectionStatus;
  send(stanza: Element, options?: SendOptions): Promise<void>;
  /** Sends an IQ and resolves with the result, or rejects with IqError. */
  request(iq: Element, timeoutMs?: number, options?: SendOptions): Promise<Element>;
  handleIqSet(xmlns: string, name: string, handler: IqHandler): void;
  handleIqGet(xmlns: string, name: string, handler: IqHandler): void;
  on(event: 'stanza', listener: (stanza: Element) => void): () => void;
  on(event: 'log', listener: (direction: StanzaDirection, element: Element) => void): () => void;
  on(event: 'status', listener: (status: ConnectionStatus) => void): () => void;
  /** A new session after a reconnect that could not resume (XEP-0198): presence must be sent again. */
  on(event: 'rebound', listener: () => void): () => void;
  stop(): Promise<void>;
}

type Listeners = { [K in 'stanza' | 'log' | 'status' | 'rebound']: Set<(...args: any[]) => void> };

function describeFailure(err: unknown, service: string): LoginError {
  const e = err as { name?: string; condition?: string; message?: string } | undefined;
  if (e?.name === 'SASLError' || e?.condition === 'not-authorized') {
    return new LoginError('auth', 'Wrong address or password: the server refused the login. Check both and try again.');
  }
  if (e?.name === 'StreamError' && e.condition === 'host-unknown') {
    return new LoginError('protocol', 'That server does not serve this domain. Check the part of the address after “@”.');
  }
  if (e?.name === 'TimeoutError' || /websocket|econnrefused|network|socket/i.test(e?.message ?? '') || e?.name === 'ConnectionError') {
    return new LoginError('network', `Cannot reach the XMPP server at ${service}. Check the WebSocket URL, or that the server is running.`);
  }
  return new LoginError('protocol', `Login failed: ${e?.message ?? 'unknown error'}.`);
}

/** Connects and logs in; rejects with LoginError and leaves nothing running. */
export async function connect(options: ConnectOptions, loginTimeoutMs = 15000): Promise<Connection> {
  const [username, domain] = options.jid.split('@') as [string, string];
  const xmpp: XmppClient = client({
    service: options.service,
    domain,
    username,
    password: options.password,
    ...(options.resource ? { resource: options.resource } : {}),
  });
  const listeners: Listeners = { stanza: new Set(), log: new Set(), status: new Set(), rebound: new Set() };
  const emit = (event: keyof Listeners, ...args: unknown[]) => {
    for (const listener of listeners[event]) {
      try {
        listener(...args);
      } catch (err) {
        console.error(`a ${event} listener failed`, err);
      }
    }
  };
  let status: ConnectionStatus = 'offline';
  const setStatus = (next: ConnectionStatus) => {
    if (next === status) return;
    status = next;
    emit('status', next);
  };

  let lastError: unknown;
  xmpp.on('error', (err: unknown) => {
    lastError = err;
  });
  xmpp.on('element', (el: Element) => emit('log', 'in', el));
  xmpp.on('send', (el: Element) => emit('log', 'out', el));
  xmpp.on('stanza', (el: Element) => {
    if (el.name !== 'iq') emit('stanza', el);
  });
  // What is sent while the stream is down waits for it (outbox.ts).
  const outbox = createOutbox({ isUp: () => status === 'online' });
  let stopping = false;
  let bound = false;
  xmpp.on('online', () => {
    setStatus('online');
    if (bound) emit('rebound');
    bound = true;
    void outbox.flush();
  });
  // A resumed stream (XEP-0198 §5) is online again without an 'online' event;
  // xmpp.js resends what the old stream took but never acknowledged.
  xmpp.streamManagement.on('resumed', () => {
    setStatus('online');
    void outbox.flush();
  });
  // The stream could not resume: what the old one took unacknowledged goes out
  // again on the new session, first (our presence is sent anew anyway).
  xmpp.streamManagement.on('fail', (stanza: Element) => {
    if (stopping || stanza.name === 'presence') return;
    outbox.resend(() => xmpp.send(stanza));
  });
  xmpp.on('offline', () => setStatus('offline'));
  xmpp.on('disconnect', () => {
    if (status === 'online') setStatus('reconnecting');
  });

  // The reconnect module retries for ever; a first login must fail fast instead.
  xmpp.reconnect.stop();
  try {
    await Promise.race([
      xmpp.start(),
      new Promise((_, reject) => setTimeout(() => reject(Object.assign(new Error('login timed out'), { name: 'TimeoutError' })), loginTimeoutMs)),
    ]);
  } catch (err) {
    // Closing the stream writes to the socket: only where a stream is open.
    if (['connect', 'opening', 'open', 'online'].includes(xmpp.status)) await xmpp.stop().catch(() => undefined);
    else xmpp.socket?.socket?.close();
    throw describeFailure(lastError && (err as Error)?.name !== 'SASLError' ? lastError : err, options.service);
  }
  xmpp.reconnect.start();

  return {
    get jid() {
      return xmpp.jid?.toString() ?? options.jid;
    },
    get status() {
      return status;
    },
    send: (stanza, options) => outbox.send(() => xmpp.send(stanza), options?.patient ? PATIENT_DEADLINE_MS : undefined),
    async request(iq, timeoutMs = 30000, options) {
      let reply!: Promise<Element>;
      // Rejects with NotSentError when the stream stays down past the outbox's deadline.
      await outbox.send(async () => {
        reply = xmpp.iqCaller.request(iq, timeoutMs);
      }, options?.patient ? PATIENT_DEADLINE_MS : undefined);
      try {
        return await reply;
      } catch (err) {
        const e = err as { name?: string; condition?: string; application?: Element; text?: string };
        if (e.name !== 'StanzaError') throw new IqError('remote-server-timeout', undefined, e.text);
        throw new IqError(e.condition ?? 'undefined-condition', e.application?.name, e.text || undefined);
      }
    },
    handleIqSet: (xmlns, name, handler) => xmpp.iqCallee.set(xmlns, name, (ctx) => handler(ctx.stanza)),
    handleIqGet: (xmlns, name, handler) => xmpp.iqCallee.get(xmlns, name, (ctx) => handler(ctx.stanza)),
    on(event: keyof Listeners, listener: (...args: any[]) => void) {
      listeners[event].add(listener);
      return () => listeners[event].delete(listener);
    },
    async stop() {
      stopping = true;
      outbox.clear();
      xmpp.reconnect.stop();
      await xmpp.stop().catch(() => undefined);
      setStatus('offline');
    },
  };
}
