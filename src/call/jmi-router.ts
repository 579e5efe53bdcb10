// Incoming XEP-0353 messages: who may say what about which call (no hijacking),
// new proposals (privacy, glare), and the rest to their session.
import { type Element, type JingleMessage, type Media, type Reason, type Role, readJingleMessage } from '../jingle/index.ts';
import type { CallMedia } from '../media/devices.ts';
import { bareJid, parseJid, sameBare, sameJid } from '../xmpp/jid.ts';
import type { JingleSession, SessionDeps } from './jingle-session.ts';
import { JingleSession as Session } from './jingle-session.ts';
import { Ringing, receiptFor, receiptOf } from './jmi.ts';

/** What is remembered of a call this side ended. */
export interface EndedCall {
  peer: string;
  role: Role;
  reason: Reason;
}

export interface RouterContext {
  deps: SessionDeps;
  sessions: ReadonlyMap<string, JingleSession>;
  /** Calls ended here, by id: late messages about them get the XEP's answer, not a new ring. */
  ended: ReadonlyMap<string, EndedCall>;
  track(session: JingleSession): JingleSession;
  /** Whether calls from this bare JID may ring (a mutual presence subscription, by default). */
  isTrusted(bare: string): boolean;
  /** A call that did not ring because of who placed it. */
  blocked(from: string): void;
}

const TIE_BREAK = { condition: 'expired', text: 'Tie-Break' } as const;
const DECLINE = { condition: 'decline' } as const;
const mediaOf = (media: Media[]): CallMedia => (media.includes('video') ? 'video' : 'audio');

export function routeMessage(ctx: RouterContext, stanza: Element): void {
  const signalling = ctx.deps.signalling;
  const from = stanza.attrs.from ?? '';
  const receipt = receiptOf(stanza);
  if (receipt) {
    // Conversations shows "ringing" on the receipt and sends no <ringing/>.
    for (const s of ctx.sessions.values()) if (s.ringing?.proposeMessageId === receipt && sameBare(s.peer, from)) s.peerRings();
    return;
  }
  let m: JingleMessage | undefined;
  try {
    m = readJingleMessage(stanza);
  } catch {
    return; // A malformed message has no reply to give (messages have no result).
  }
  if (!m || !parseJid(from)?.resource || sameJid(from, signalling.jid)) return;
  const own = sameBare(from, signalling.jid);
  if (m.kind === 'propose') {
    if (!own) onPropose(ctx, m, from, stanza);
    return;
  }
  const session = ctx.sessions.get(m.id);
  const over = session ? undefined : ctx.ended.get(m.id);
  if (over && m.kind === 'proceed' && over.role === 'initiator' && sameBare(from, over.peer) && !own) {
    // A device proceeds after we gave up (its proceed was held while a stream was down):
    // XEP-0353 §3.3, the caller retracts, and no session-initiate follows.
    new Ringing(signalling, m.id).retract(from, over.reason.condition === 'success' ? { condition: 'cancel' } : over.reason).catch(() => undefined);
    return;
  }
  if (!session?.ringing) return;
  const fromPeer = sameBare(from, session.peer) && !own;
  switch (m.kind) {
    case 'ringing':
      if (session.role === 'initiator' && fromPeer) session.peerRings();
      return;
    case 'proceed':
      if (session.role === 'initiator' && fromPeer) session.proceeded(from);
      return;
    case 'reject':
      // Our proposal lost a tie-break: the peer's own proposal is the call.
      if (session.role === 'initiator' && fromPeer) return m.tieBreak ? session.withdraw() : session.end(m.reason ?? DECLINE, 'remote', false);
      if (session.role === 'responder' && own) session.end(m.reason ?? DECLINE, 'local', false, 'Declined on another device');
      return;
    case 'accept':
      if (session.role === 'responder' && own) session.end({ condition: 'cancel' }, 'local', false, 'Answered on another device');
      return;
    case 'retract':
      // Before the call connected, a retract leaves a missed call.
      if (session.role === 'responder' && sameJid(from, session.peer) && (session.phase === 'incoming' || session.phase === 'connecting')) {
        session.end(m.reason ?? { condition: 'cancel' }, 'remote', false, `Missed call from ${ctx.deps.nameOf(session.peer)}`);
      }
      return;
    default:
      return;
  }
}

function onPropose(ctx: RouterContext, m: JingleMessage, from: string, stanza: Element): void {
  const signalling = ctx.deps.signalling;
  // A proposal already rung here (redelivered after a reconnect, or from storage) rings once;
  // one we accepted, proposed again, means the caller lost our proceed.
  const known = ctx.sessions.get(m.id);
  if (known) return known.proposedAgain(from);
  if (ctx.ended.has(m.id)) return;
  const ringing = new Ringing(signalling, m.id);
  if (!ctx.isTrusted(bareJid(from))) {
    // PROTOCOL.md, Privacy: it does not ring; the caller is told busy rather than left hanging.
    ctx.blocked(from);
    ringing.reject(from, { condition: 'busy' }, { tellOwnDevices: false }).catch(() => undefined);
    return;
  }
  // A flood of proposals from one JID rings once.
  if ([...ctx.sessions.values()].some((s) => s.role === 'responder' && sameJid(s.peer, from) && s.phase === 'incoming')) return;
  const receipt = receiptFor(stanza);
  if (receipt) void signalling.send(receipt).catch(() => undefined);
  // XEP-0353 §5.1: two proposals crossed; the lower id wins.
  const mine = [...ctx.sessions.values()].find((s) => s.role === 'initiator' && s.ringing && sameBare(s.peer, from) && ['starting', 'calling', 'ringing'].includes(s.phase));
  if (mine && m.id > mine.sid) {
    ringing.reject(from, TIE_BREAK, { tieBreak: true }).catch(() => undefined);
    return;
  }
  if (mine) {
    mine.ringing!.retract(mine.peer, TIE_BREAK, true).catch(() => undefined);
    mine.withdraw();
  }
  const session = ctx.track(Session.proposal(ctx.deps, m.id, from, mediaOf(m.media)));
  session.ringing!.ringing(from).catch(() => undefined);
  // The user already chose to call this person: their crossing proposal is taken at once.
  if (mine) void session.accept();
}
