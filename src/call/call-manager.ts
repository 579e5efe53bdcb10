// The call manager: routes Jingle requests to sessions and starts new ones.
import {
  JingleError, type Jingle, NS, badRequest, errorElement, outOfOrder, readJingle, unknownSession, type Element,
} from '../jingle/index.ts';
import { stopStream, type CallMedia } from '../media/devices.ts';
import type { MediaPeerFactory } from '../media/media-peer.ts';
import { parseJid } from '../xmpp/jid.ts';
import { type Clock, systemClock } from './clock.ts';
import { JingleSession, type SessionDeps } from './jingle-session.ts';
import type { Signalling } from './signalling.ts';
import { DEFAULT_WIRE_STYLE, type WireStyle } from './wire-style.ts';

export interface CallManagerOptions {
  signalling: Signalling;
  peerFactory: MediaPeerFactory;
  openMedia: (media: CallMedia) => Promise<MediaStream>;
  stopMedia?: (stream: MediaStream | undefined) => void;
  clock?: Clock;
  nameOf?: (jid: string) => string;
  /** Session ids for new calls; random by default. */
  newId?: () => string;
  /** How new calls behave on the wire; read when each call starts. */
  wireStyle?: () => WireStyle;
}

export interface CallManager {
  /** Calls a contact's full JID. */
  call(peer: string, media: CallMedia): JingleSession;
  /** Calls not yet ended. */
  readonly calls: readonly JingleSession[];
  /** A new call, outgoing or incoming. */
  onCall(listener: (session: JingleSession) => void): () => void;
}

const randomId = (): string => crypto.randomUUID().replace(/-/g, '').slice(0, 20);

export function createCallManager(options: CallManagerOptions): CallManager {
  const clock = options.clock ?? systemClock;
  const deps: SessionDeps = {
    signalling: options.signalling,
    peerFactory: options.peerFactory,
    openMedia: options.openMedia,
    stopMedia: options.stopMedia ?? stopStream,
    clock,
    nameOf: options.nameOf ?? ((jid) => parseJid(jid)?.local || jid),
    wireStyle: options.wireStyle ?? (() => DEFAULT_WIRE_STYLE),
  };
  const sessions = new Map<string, JingleSession>();
  const listeners = new Set<(session: JingleSession) => void>();

  function track(session: JingleSession): JingleSession {
    sessions.set(session.sid, session);
    session.subscribe((s) => {
      if (s.phase === 'ended') sessions.delete(s.sid);
    });
    for (const listener of listeners) listener(session);
    return session;
  }

  /** XEP-0166 §7.2: validate synchronously, acknowledge, then act. */
  function onJingleIq(iq: Element): Element | true {
    const from = iq.attrs.from ?? '';
    let jingle: Jingle;
    try {
      const el = iq.getChild('jingle', NS.jingle);
      if (!el) throw badRequest('no jingle element');
      jingle = readJingle(el);
    } catch (err) {
      return errorElement(err instanceof JingleError ? err : badRequest(String(err)));
    }
    if (jingle.action === 'session-initiate') return onSessionInitiate(jingle, from);
    const session = sessions.get(jingle.sid);
    if (!session) return errorElement(unknownSession());
    const refusal = session.check(jingle, from);
    if (refusal) return errorElement(refusal);
    clock.setTimeout(() => session.receive(jingle), 0);
    return true;
  }

  function onSessionInitiate(jingle: Jingle, from: string): Element | true {
    const address = parseJid(from);
    if (!address?.resource) return errorElement(badRequest('session-initiate from a bare JID'));
    if (sessions.has(jingle.sid)) {
      return errorElement(sessions.get(jingle.sid)!.peer === address.full ? outOfOrder('session already exists') : unknownSession());
    }
    if (jingle.contents.length === 0) return errorElement(badRequest('session-initiate without content'));
    clock.setTimeout(() => {
      // XEP-0166 §6.3.3: what we cannot take is acknowledged, then terminated with the reason.
      const unsupported = jingle.contents.every((c) => !c.description)
        ? 'unsupported-applications'
        : jingle.contents.some((c) => c.description && !c.transport)
          ? 'unsupported-transports'
          : undefined;
      const session = JingleSession.incoming(deps, jingle, address.full);
      if (unsupported) session.refuse(unsupported);
      else {
        track(session);
        session.ring();
      }
    }, 0);
    return true;
  }

  options.signalling.handleIqSet(NS.jingle, 'jingle', (iq) => {
    try {
      return onJingleIq(iq);
    } catch (err) {
      // Nothing the network sends may escape as an exception.
      console.error('Jingle request failed', err);
      return errorElement(badRequest('could not process the request'));
    }
  });

  return {
    call(peer, media) {
      return track(JingleSession.outgoing(deps, (options.newId ?? randomId)(), peer, media));
    },
    get calls() {
      return [...sessions.values()];
    },
    onCall(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
