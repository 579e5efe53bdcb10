import { describe, expect, it } from 'vitest';
import { mayReceive, nextState } from '../src/call/session-state.ts';

describe('the XEP-0166 session state machine', () => {
  it('goes pending → active → ended', () => {
    expect(nextState('pending', 'accept')).toBe('active');
    expect(nextState('active', 'terminate')).toBe('ended');
    expect(nextState('pending', 'terminate')).toBe('ended');
  });

  it('refuses transitions that do not fit', () => {
    expect(nextState('active', 'accept')).toBeUndefined();
    expect(nextState('ended', 'terminate')).toBeUndefined();
  });

  it('lets only the initiator receive a session-accept, and only while pending', () => {
    expect(mayReceive('session-accept', 'pending', 'initiator')).toBe(true);
    expect(mayReceive('session-accept', 'pending', 'responder')).toBe(false);
    expect(mayReceive('session-accept', 'active', 'initiator')).toBe(false);
  });

  it('takes transport-info and session-info early, and content changes only when active', () => {
    expect(mayReceive('transport-info', 'pending', 'initiator')).toBe(true);
    expect(mayReceive('session-info', 'pending', 'responder')).toBe(true);
    expect(mayReceive('content-add', 'pending', 'initiator')).toBe(false);
    expect(mayReceive('content-add', 'active', 'initiator')).toBe(true);
    expect(mayReceive('session-terminate', 'ended', 'initiator')).toBe(false);
  });
});
