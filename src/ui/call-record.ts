// A finished call as the conversation shows it, in the words a user would
// use ("Missed audio call"), and the conversation's one timeline of messages
// and calls.
import type { JingleSession } from '../call/jingle-session.ts';
import type { ChatEntry } from '../xmpp/chat.ts';
import { bareJid } from '../xmpp/jid.ts';
import { formatDuration } from './call-timer.ts';

export type CallOutcome = 'answered' | 'missed' | 'declined' | 'cancelled' | 'unanswered' | 'failed' | 'busy';

export interface CallRecord {
  id: string;
  /** Bare JID. */
  peer: string;
  direction: 'outgoing' | 'incoming';
  media: 'audio' | 'video';
  /** When it started, in ms since the epoch. */
  at: number;
  /** How long it was connected; only when it connected here. */
  durationMs?: number;
  outcome: CallOutcome;
  /** Plain words for failed ones. */
  reason?: string;
}

export type CallSession = Pick<
  JingleSession,
  'sid' | 'peer' | 'direction' | 'media' | 'state' | 'endReason' | 'endedBy' | 'endMessage' | 'startedAt' | 'connectedAt' | 'timeline'
>;

/** XEP-0166 §7.4 conditions that mean something went wrong, not that someone chose to stop. */
const FAILURES = new Set([
  'connectivity-error', 'failed-application', 'failed-transport', 'general-error', 'incompatible-parameters', 'media-error',
  'security-error', 'unsupported-applications', 'unsupported-transports', 'alternative-session',
]);

/** An incoming call not connected here. */
function incomingOutcome(condition: string, endedBy: 'local' | 'remote', accepted: boolean): CallOutcome {
  if (endedBy === 'local') {
    // jmi-router.ts: another of our devices took the call.
    if (condition === 'cancel') return 'answered';
    // We answered, then hung up before the media came up.
    if (accepted && (condition === 'decline' || condition === 'success')) return 'cancelled';
    if (accepted) return 'failed';
    if (condition === 'decline' || condition === 'busy') return 'declined';
    // The ring limit: it rang out here.
    return condition === 'timeout' ? 'missed' : 'failed';
  }
  // The caller stopped, went away or gave up before the call connected (jmi-router.ts says "Missed call" too).
  return FAILURES.has(condition) ? 'failed' : 'missed';
}

/** An outgoing call not connected. */
function outgoingOutcome(condition: string, endedBy: 'local' | 'remote'): CallOutcome {
  if (condition === 'busy') return 'busy';
  if (condition === 'timeout' || condition === 'expired') return 'unanswered';
  if (endedBy === 'local') return condition === 'cancel' || condition === 'success' || condition === 'decline' ? 'cancelled' : 'failed';
  // The callee turned it down, or hung up as it was being set up.
  return condition === 'decline' || condition === 'cancel' || condition === 'success' ? 'declined' : 'failed';
}

/** When the call ended: its 'ended' step, else its last step. */
function endOf(session: CallSession): number {
  const steps = session.timeline;
  const ended = [...steps].reverse().find((step) => step.name === 'ended') ?? steps.at(-1);
  return ended?.at ?? session.connectedAt ?? session.startedAt;
}

/**
 * The record of an ended call; undefined while it goes on, and for a proposal
 * withdrawn after a tie-break (XEP-0353 §5.1), which the peer's own call replaces.
 */
export function callRecordOf(session: CallSession): CallRecord | undefined {
  if (session.state !== 'ended') return undefined;
  const condition = session.endReason?.condition ?? 'success';
  const endedBy = session.endedBy ?? 'local';
  // jingle-session.ts withdraw(): the only local 'expired'.
  if (endedBy === 'local' && condition === 'expired') return undefined;
  // clock.ts: systemClock counts from the epoch (performance.timeOrigin + performance.now()).
  const base = {
    id: session.sid,
    peer: bareJid(session.peer),
    direction: session.direction,
    media: session.media,
    at: Math.round(session.startedAt),
  };
  if (session.connectedAt !== undefined) {
    return { ...base, outcome: 'answered', durationMs: Math.max(0, endOf(session) - session.connectedAt) };
  }
  const accepted = session.timeline.some((step) => step.name === 'accept');
  const outcome = session.direction === 'incoming' ? incomingOutcome(condition, endedBy, accepted) : outgoingOutcome(condition, endedBy);
  return outcome === 'failed' ? { ...base, outcome, reason: session.endMessage || 'Call ended' } : { ...base, outcome };
}

const DIRECTION = { outgoing: 'Outgoing', incoming: 'Incoming' } as const;

const DETAIL: Record<Exclude<CallOutcome, 'answered' | 'missed' | 'failed'>, string> = {
  declined: 'declined',
  cancelled: 'cancelled',
  unanswered: 'no answer',
  busy: 'busy',
};

/** One line for the call: "Outgoing video call · 2:05", "Missed audio call". */
export function describeCall(record: CallRecord): string {
  if (record.outcome === 'missed') return `Missed ${record.media} call`;
  const kind = `${DIRECTION[record.direction]} ${record.media} call`;
  switch (record.outcome) {
    case 'answered':
      if (record.durationMs !== undefined) return `${kind} · ${formatDuration(record.durationMs)}`;
      return record.direction === 'incoming' ? `${kind} · answered on another device` : kind;
    case 'failed':
      return record.reason ? `${kind} · failed: ${record.reason}` : `${kind} · failed`;
    default:
      return `${kind} · ${DETAIL[record.outcome]}`;
  }
}

export type TimelineItem = { kind: 'message'; at: number; entry: ChatEntry } | { kind: 'call'; at: number; record: CallRecord };

/** Messages and calls in time order; those at the same time keep their order, messages first. */
export function mergeTimeline(entries: readonly ChatEntry[], calls: readonly CallRecord[]): TimelineItem[] {
  const items: TimelineItem[] = [
    ...entries.map((entry): TimelineItem => ({ kind: 'message', at: entry.at, entry })),
    ...calls.map((record): TimelineItem => ({ kind: 'call', at: record.at, record })),
  ];
  // Array.prototype.sort is stable (ES2019).
  return items.sort((a, b) => a.at - b.at);
}
