import { describe, expect, it } from 'vitest';
import type { Reason } from '../src/jingle/index.ts';
import { type CallRecord, type CallSession, callRecordOf, describeCall, mergeTimeline } from '../src/ui/call-record.ts';
import type { ChatEntry } from '../src/xmpp/chat.ts';

const START = Date.UTC(2025, 2, 14, 9, 30);

interface Ending {
  direction: 'outgoing' | 'incoming';
  media?: 'audio' | 'video';
  reason: Reason;
  endedBy: 'local' | 'remote';
  message?: string;
  /** ms after the start when media connected. */
  connectedAfter?: number;
  /** ms after the start when it ended. */
  endedAfter?: number;
  accepted?: boolean;
}

function ended(e: Ending): CallSession {
  const endedAt = START + (e.endedAfter ?? 30_000);
  const timeline = [{ name: e.direction === 'outgoing' ? 'call-started' : 'propose-received', at: START }];
  if (e.accepted) timeline.push({ name: 'accept', at: START + 1000 });
  if (e.connectedAfter !== undefined) timeline.push({ name: 'connected', at: START + e.connectedAfter });
  timeline.push({ name: 'ended', at: endedAt });
  return {
    sid: 'sid-1',
    peer: 'bob@example.org/phone',
    direction: e.direction,
    media: e.media ?? 'audio',
    state: 'ended',
    endReason: e.reason,
    endedBy: e.endedBy,
    endMessage: e.message ?? 'Call ended',
    startedAt: START,
    ...(e.connectedAfter !== undefined ? { connectedAt: START + e.connectedAfter } : {}),
    timeline,
  };
}

const outcomeOf = (e: Ending) => callRecordOf(ended(e))?.outcome;

describe('callRecordOf', () => {
  it('has no record while the call goes on', () => {
    const session = { ...ended({ direction: 'outgoing', reason: { condition: 'success' }, endedBy: 'local' }), state: 'active' as const };
    expect(callRecordOf(session)).toBeUndefined();
  });

  it('records who, which way, what media and when it started', () => {
    const record = callRecordOf(ended({ direction: 'outgoing', media: 'video', reason: { condition: 'success' }, endedBy: 'local', connectedAfter: 2000 }));
    expect(record).toMatchObject({ id: 'sid-1', peer: 'bob@example.org', direction: 'outgoing', media: 'video', at: START });
  });

  it('counts an answered call from when it connected until it ended', () => {
    const record = callRecordOf(ended({ direction: 'incoming', reason: { condition: 'success' }, endedBy: 'remote', connectedAfter: 5000, endedAfter: 130_000 }));
    expect(record).toMatchObject({ outcome: 'answered', durationMs: 125_000 });
  });

  it('takes the last step as the end when none says ended', () => {
    const session = ended({ direction: 'outgoing', reason: { condition: 'success' }, endedBy: 'local', connectedAfter: 1000 });
    const timeline = [...session.timeline.filter((s) => s.name !== 'ended'), { name: 'reconnected', at: START + 61_000 }];
    expect(callRecordOf({ ...session, timeline })?.durationMs).toBe(60_000);
  });

  it('calls a connected call that dropped answered, with its length', () => {
    const record = callRecordOf(ended({ direction: 'outgoing', reason: { condition: 'connectivity-error' }, endedBy: 'local', connectedAfter: 1000, endedAfter: 11_000 }));
    expect(record).toMatchObject({ outcome: 'answered', durationMs: 10_000 });
  });

  it('calls an incoming call the caller cancelled missed', () => {
    expect(outcomeOf({ direction: 'incoming', reason: { condition: 'cancel' }, endedBy: 'remote' })).toBe('missed');
  });

  it('calls an incoming call that rang out here missed', () => {
    expect(outcomeOf({ direction: 'incoming', reason: { condition: 'timeout' }, endedBy: 'local' })).toBe('missed');
  });

  it('calls an incoming call whose caller went offline missed', () => {
    expect(outcomeOf({ direction: 'incoming', reason: { condition: 'gone' }, endedBy: 'remote' })).toBe('missed');
  });

  it('calls an incoming call we declined declined', () => {
    expect(outcomeOf({ direction: 'incoming', reason: { condition: 'decline' }, endedBy: 'local' })).toBe('declined');
  });

  it('calls an incoming call we declined for another call declined', () => {
    expect(outcomeOf({ direction: 'incoming', reason: { condition: 'busy' }, endedBy: 'local' })).toBe('declined');
  });

  it('calls an incoming call taken on another of our devices answered, without a length', () => {
    const record = callRecordOf(ended({ direction: 'incoming', reason: { condition: 'cancel' }, endedBy: 'local', message: 'Answered on another device' }));
    expect(record?.outcome).toBe('answered');
    expect(record?.durationMs).toBeUndefined();
  });

  it('calls an incoming call we answered and hung up before it connected cancelled', () => {
    expect(outcomeOf({ direction: 'incoming', reason: { condition: 'decline' }, endedBy: 'local', accepted: true })).toBe('cancelled');
  });

  it('calls an outgoing call the peer declined declined', () => {
    expect(outcomeOf({ direction: 'outgoing', reason: { condition: 'decline' }, endedBy: 'remote' })).toBe('declined');
  });

  it('calls an outgoing call we cancelled cancelled', () => {
    expect(outcomeOf({ direction: 'outgoing', reason: { condition: 'cancel' }, endedBy: 'local' })).toBe('cancelled');
  });

  it('calls an outgoing call nobody answered unanswered', () => {
    expect(outcomeOf({ direction: 'outgoing', reason: { condition: 'timeout' }, endedBy: 'local' })).toBe('unanswered');
  });

  it('calls an outgoing call to a busy peer busy', () => {
    expect(outcomeOf({ direction: 'outgoing', reason: { condition: 'busy' }, endedBy: 'remote' })).toBe('busy');
  });

  it('calls a call that could not be set up failed, in the end screen words', () => {
    const record = callRecordOf(ended({
      direction: 'outgoing', reason: { condition: 'failed-transport' }, endedBy: 'local', message: 'No network path to Bob could be found',
    }));
    expect(record).toMatchObject({ outcome: 'failed', reason: 'No network path to Bob could be found' });
  });

  it('calls an incoming call we answered whose camera failed failed', () => {
    const record = callRecordOf(ended({ direction: 'incoming', reason: { condition: 'media-error' }, endedBy: 'local', accepted: true, message: 'The camera or microphone could not be opened' }));
    expect(record).toMatchObject({ outcome: 'failed', reason: 'The camera or microphone could not be opened' });
  });

  it('keeps no record of a proposal withdrawn after a tie-break', () => {
    expect(callRecordOf(ended({ direction: 'outgoing', reason: { condition: 'expired' }, endedBy: 'local', message: '' }))).toBeUndefined();
  });
});

const record = (over: Partial<CallRecord>): CallRecord => ({ id: 'c', peer: 'bob@example.org', direction: 'outgoing', media: 'audio', at: START, outcome: 'answered', ...over });

describe('describeCall', () => {
  it('gives an answered call its length', () => {
    expect(describeCall(record({ media: 'video', durationMs: 125_000 }))).toBe('Outgoing video call · 2:05');
  });

  it('names a missed call by its media alone', () => {
    expect(describeCall(record({ direction: 'incoming', outcome: 'missed' }))).toBe('Missed audio call');
  });

  it('says an incoming call was declined', () => {
    expect(describeCall(record({ direction: 'incoming', outcome: 'declined' }))).toBe('Incoming audio call · declined');
  });

  it('says nobody answered an outgoing call', () => {
    expect(describeCall(record({ outcome: 'unanswered' }))).toBe('Outgoing audio call · no answer');
  });

  it('says an outgoing call was cancelled', () => {
    expect(describeCall(record({ outcome: 'cancelled' }))).toBe('Outgoing audio call · cancelled');
  });

  it('says the peer was busy', () => {
    expect(describeCall(record({ outcome: 'busy' }))).toBe('Outgoing audio call · busy');
  });

  it('gives a failed call its reason', () => {
    expect(describeCall(record({ media: 'video', outcome: 'failed', reason: 'No network path to Bob could be found' })))
      .toBe('Outgoing video call · failed: No network path to Bob could be found');
  });

  it('says an incoming call was answered on another device', () => {
    expect(describeCall(record({ direction: 'incoming' }))).toBe('Incoming audio call · answered on another device');
  });
});

describe('mergeTimeline', () => {
  const message = (id: string, at: number): ChatEntry => ({ id, direction: 'in', body: id, at });

  it('interleaves messages and calls by time', () => {
    const items = mergeTimeline([message('m1', 10), message('m2', 30)], [record({ id: 'c1', at: 20 }), record({ id: 'c2', at: 40 })]);
    expect(items.map((i) => (i.kind === 'message' ? i.entry.id : i.record.id))).toEqual(['m1', 'c1', 'm2', 'c2']);
  });

  it('keeps items at the same time in their order, messages first', () => {
    const items = mergeTimeline([message('m1', 10), message('m2', 10)], [record({ id: 'c1', at: 10 })]);
    expect(items.map((i) => (i.kind === 'message' ? i.entry.id : i.record.id))).toEqual(['m1', 'm2', 'c1']);
  });

  it('puts calls given out of order into order', () => {
    const items = mergeTimeline([], [record({ id: 'late', at: 50 }), record({ id: 'early', at: 5 })]);
    expect(items.map((i) => i.at)).toEqual([5, 50]);
  });
});
