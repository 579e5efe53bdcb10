// The call manager: routes Jingle requests to sessions and starts new ones.
import {
  JingleError, type Jingle, NS, badRequest, errorElement, outOfOrder, readJingle, unknownSession, type Element,
} from '../jingle/index.ts';
import { type DeviceChoice, loadChoice, saveChoice } from '../media/device-choice.ts';
import { type CallMedia, type OpenedMedia, type OpenOptions, openCamera, openMicrophone, openScreen, stopStream } from '../media/devices.ts';
import type { MediaPeerFactory } from '../media/media-peer.ts';
import { bareJid, parseJid, sameBare, sameJid } from '../xmpp/jid.ts';
import { type Clock, systemClock } from './clock.ts';
import { DIRECT_ONLY, type IcePlan } from './ice-plan.ts';
import { JingleSession, type SessionDeps } from './jingle-session.ts';
import { type EndedCall, routeMessage } from './jmi-router.ts';
import { jingleIq, type Signalling } from './signalling.ts';
import { DEFAULT_WIRE_STYLE, type WireStyle } from './wire-style.ts';

export interface CallManagerOptions {
  signalling: Signalling;
  peerFactory: MediaPeerFactory;
  openMedia: (media: CallMedia, options: OpenOptions) => Promise<OpenedMedia>;
  /** The kinds of track openMedia will give, when known before they open (devices.ts foreseeTracks). */
  foreseeMedia?: (media: CallMedia, choice: DeviceChoice) => Promise<CallMedia[] | undefined>;
  /** The camera alone, for video added or switched mid-call; getUserMedia by default. */
  openCamera?: (deviceId?: string) => Promise<MediaStream>;
  /** A microphone alone, for a switch mid-call; getUserMedia by default. */
  openMicrophone?: (deviceId?: string) => Promise<MediaStream>;
  /** A screen to share; getDisplayMedia by default. */
  openScreen?: () => Promise<MediaStream>;
  /** The devices the user chose, remembered in localStorage by default. */
  deviceChoice?: () => DeviceChoice;
  rememberDevices?: (choice: DeviceChoice) => void;
  /** What a device of a peer advertises (disco#info); nothing known by default. */
  featuresOf?: (jid: string) => ReadonlySet<string> | undefined;
  stopMedia?: (stream: MediaStream | undefined) => void;
  clock?: Clock;
  nameOf?: (jid: string) => string;
  /** Session ids for new calls; random by default. */
  newId?: () => string;
  /** How new calls behave on the wire; read when each call starts. */
  wireStyle?: () => WireStyle;
  /** Whether calls from this bare JID may ring; all may by default. */
  isTrusted?: (bare: string) => boolean;
  /** Told of a call that did not ring because of who placed it. */
  onBlocked?: (from: string) => void;
  /** The STUN/TURN servers for a call about to start; none by default. */
  ice?: () => Promise<IcePlan | { refused: string }>;
}

export interface CallManager {
  /**
   * Calls a contact: `jmi` proposes to every device of its bare JID
   * (XEP-0353); `direct` sends a session-initiate to this full JID.
   */
  call(peer: string, media: CallMedia, via?: 'jmi' | 'direct'): JingleSession;
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
    ...(options.foreseeMedia ? { foreseeMedia: options.foreseeMedia } : {}),
    openCamera: options.openCamera ?? openCamera,
    openMicrophone: options.openMicrophone ?? openMicrophone,
    openScreen: options.openScreen ?? openScreen,
    deviceChoice: options.deviceChoice ?? (() => loadChoice()),
    rememberDevices: options.rememberDevices ?? ((choice) => saveChoice(choice)),
    featuresOf: options.featuresOf ?? (() => undefined),
    stopMedia: options.stopMedia ?? stopStream,
    clock,
    nameOf: options.nameOf ?? ((jid) => parseJid(jid)?.local || jid),
    wireStyle: options.wireStyle ?? (() => DEFAULT_WIRE_STYLE),
    ice: options.ice ?? (async () => DIRECT_ONLY),
  };
  const sessions = new Map<string, JingleSession>();
  /**
   * Calls this side has ended, by sid: a proposal or session-initiate that
   * arrives late for one (a stream resumed, stored messages delivered) is
   * answered as over, never rung again (docs/interop.md, Faults).
   */
  const ended = new Map<string, EndedCall>();
  const MAX_ENDED = 200;
  const listeners = new Set<(session: JingleSession) => void>();

  /** Routes the session's requests to it from now on, until it ends. */
  function register(session: JingleSession): void {
    sessions.set(session.sid, session);
    session.subscribe((s) => {
      if (s.phase !== 'ended' || sessions.get(s.sid) !== s) return;
      sessions.delete(s.sid);
      ended.set(s.sid, { peer: s.peer, role: s.role, reason: s.endReason ?? { condition: 'success' } });
      if (ended.size > MAX_ENDED) ended.delete(ended.keys().next().value!);
    });
  }

  function announce(session: JingleSession): void {
    for (const listener of listeners) listener(session);
  }

  function track(session: JingleSession): JingleSession {
    register(session);
    announce(session);
    return session;
  }

  /** Largest Jingle request taken (a real audio+video offer is about 12 KB). */
  const MAX_STANZA = 256 * 1024;
  const warned = new Set<string>();
  const refuseOnce = (from: string, error: JingleError): Element => {
    // Logged once per peer and kind, so a flood cannot flood the console too.
    const key = `${from} ${error.message}`;
    if (!warned.has(key)) console.warn(`Refused from ${from}: ${error.message}`);
    warned.add(key);
    return errorElement(error);
  };

  /** XEP-0166 §7.2: validate synchronously, acknowledge, then act. */
  function onJingleIq(iq: Element): Element | true {
    const from = iq.attrs.from ?? '';
    if (iq.toString().length > MAX_STANZA) return refuseOnce(from, new JingleError('policy-violation', undefined, 'stanza over 256 KB'));
    let jingle: Jingle;
    try {
      const el = iq.getChild('jingle', NS.jingle);
      if (!el) throw badRequest('no jingle element');
      jingle = readJingle(el);
    } catch (err) {
      const error = err instanceof JingleError ? err : badRequest(String(err));
      return error.condition === 'policy-violation' ? refuseOnce(from, error) : errorElement(error);
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
    const existing = sessions.get(jingle.sid);
    if (existing?.expectsInitiate(address.full)) {
      // XEP-0353: the session of a proposal we accepted connects without asking again.
      // The offer is taken now, so that a transport-info right behind it finds its contents.
      existing.takeOffer(jingle);
      return true;
    }
    if (existing?.isRepeatedInitiate(address.full)) {
      clock.setTimeout(() => existing.initiateRepeated(), 0);
      return true;
    }
    if (existing) return errorElement(existing.peer === address.full ? outOfOrder('session already exists') : unknownSession());
    const over = ended.get(jingle.sid);
    if (over && sameBare(over.peer, address.full)) {
      // The session-initiate of a call given up here (say, while the stream
      // was down): acknowledged, then terminated with why (XEP-0166 §6.7).
      clock.setTimeout(() => {
        const terminate: Jingle = { action: 'session-terminate', sid: jingle.sid, contents: [], groups: [], reason: over.reason };
        options.signalling.request(jingleIq(address.full, terminate)).catch(() => undefined);
      }, 0);
      return true;
    }
    if (jingle.contents.length === 0) return errorElement(badRequest('session-initiate without content'));
    // The session exists from the moment its session-initiate is acknowledged:
    // a caller may send its first transport-info a few ms later (Conversations
    // does), and must not be told the session is unknown.
    const session = JingleSession.incoming(deps, jingle, address.full);
    register(session);
    clock.setTimeout(() => {
      // XEP-0166 §6.3.3: what we cannot take is acknowledged, then terminated with the reason.
      const unsupported = jingle.contents.every((c) => !c.description)
        ? 'unsupported-applications'
        : jingle.contents.some((c) => c.description && !c.transport)
          ? 'unsupported-transports'
          : undefined;
      const trusted = isTrusted(address.bare);
      if (!trusted) options.onBlocked?.(address.full);
      // PROTOCOL.md, Privacy: a stranger's direct session-initiate does not ring.
      if (unsupported || !trusted) session.refuse(unsupported ?? 'busy');
      else {
        announce(session);
        session.ring();
      }
    }, 0);
    return true;
  }

  /** A peer's device that goes offline mid-call ends it once its media stops too (docs/interop.md, Faults). */
  function onPresence(presence: Element): void {
    const type = presence.attrs.type;
    if (type !== undefined && type !== 'unavailable') return;
    const from = presence.attrs.from ?? '';
    for (const session of sessions.values()) if (sameJid(session.peer, from)) session.peerPresence(type === undefined);
  }

  const isTrusted = options.isTrusted ?? (() => true);
  // A new session after the stream could not resume: each call says again what its peer may have lost.
  options.signalling.on('rebound', () => {
    for (const session of sessions.values()) session.reannounce();
  });
  options.signalling.on('stanza', (stanza) => {
    if (stanza.name === 'presence') return onPresence(stanza);
    if (stanza.name !== 'message') return;
    try {
      routeMessage({ deps, sessions, ended, track, isTrusted, blocked: (from) => options.onBlocked?.(from) }, stanza);
    } catch (err) {
      console.error('XEP-0353 message failed', err);
    }
  });

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
    call(peer, media, via = 'direct') {
      // The person being called is calling us, and it rings here: answer that
      // call rather than cross it with ours (what XEP-0353 §5.1's tie-break
      // would settle on anyway once both proposals were out).
      const theirs = [...sessions.values()].find((s) => s.role === 'responder' && s.phase === 'incoming' && sameBare(s.peer, peer));
      if (theirs) {
        void theirs.accept();
        return theirs;
      }
      const sid = (options.newId ?? randomId)();
      return track(via === 'jmi' ? JingleSession.proposed(deps, sid, bareJid(peer), media) : JingleSession.outgoing(deps, sid, peer, media));
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
