// XEP-0166 §6: the session state machine, pending → active → ended.
import type { JingleAction, Role } from '../jingle/index.ts';

export type SessionState = 'pending' | 'active' | 'ended';
export type SessionEvent = 'accept' | 'terminate';

const TRANSITIONS: Record<SessionState, Partial<Record<SessionEvent, SessionState>>> = {
  pending: { accept: 'active', terminate: 'ended' },
  active: { terminate: 'ended' },
  ended: {},
};

/** The state after an event, or undefined when the event does not fit the state. */
export function nextState(state: SessionState, event: SessionEvent): SessionState | undefined {
  return TRANSITIONS[state][event];
}

/**
 * Whether a peer may send this action now (XEP-0166 §7.2). `ourRole` is our
 * role in the session: only the responder sends session-accept.
 */
export function mayReceive(action: JingleAction, state: SessionState, ourRole: Role): boolean {
  if (state === 'ended') return false;
  switch (action) {
    case 'session-initiate':
      return false;
    case 'session-accept':
      return state === 'pending' && ourRole === 'initiator';
    case 'session-terminate':
    case 'session-info':
    case 'transport-info':
      return true;
    default:
      return state === 'active';
  }
}
