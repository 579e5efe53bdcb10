// XEP-0166 §7.4 reasons as short human messages for the end screen.
import type { Reason } from '../jingle/index.ts';

export type EndedBy = 'local' | 'remote';

const REMOTE: Record<string, (peer: string) => string> = {
  success: (p) => `${p} hung up`,
  decline: (p) => `${p} declined the call`,
  busy: (p) => `${p} is busy`,
  cancel: (p) => `${p} cancelled the call`,
  gone: (p) => `${p} went offline`,
  timeout: () => 'No answer',
  expired: () => 'The call expired',
  'connectivity-error': (p) => `The connection to ${p} was lost`,
  'failed-application': (p) => `${p}'s app could not handle the call`,
  'failed-transport': (p) => `No network path to ${p} could be found`,
  'security-error': (p) => `${p}'s app refused the call's encryption`,
  'unsupported-applications': (p) => `${p}'s app does not support this kind of call`,
  'unsupported-transports': (p) => `${p}'s app does not support the call's network transport`,
  'incompatible-parameters': (p) => `${p}'s app has no codec in common with this one`,
  'media-error': (p) => `${p}'s camera or microphone failed`,
  'general-error': (p) => `${p}'s app ended the call with an error`,
  'alternative-session': (p) => `${p} moved the call to another session`,
};

const LOCAL: Record<string, (peer: string) => string> = {
  success: () => 'You hung up',
  decline: () => 'You declined the call',
  busy: () => 'Declined: you were busy',
  cancel: () => 'You cancelled the call',
  'connectivity-error': (p) => `The connection to ${p} was lost`,
  'failed-transport': (p) => `No network path to ${p} could be found`,
  'failed-application': () => 'The call could not be set up',
  'media-error': () => 'The camera or microphone could not be opened',
  'unsupported-applications': (p) => `${p} offered a session that is neither audio nor video`,
  'unsupported-transports': (p) => `${p} offered a call over a transport other than ICE-UDP`,
};

/** A short message for the end screen; an unknown reason is a plain "Call ended". */
export function describeEnd(reason: Reason, endedBy: EndedBy, peerName: string): string {
  const table = endedBy === 'local' ? LOCAL : REMOTE;
  const base = (table[reason.condition] ?? REMOTE[reason.condition])?.(peerName) ?? 'Call ended';
  return reason.text && endedBy === 'remote' ? `${base} (“${reason.text}”)` : base;
}

/** The reason a call ends when the peer answers our request with an IQ error (or none in time). */
export function reasonForRefusal(action: string, condition: string): Reason {
  if (condition === 'remote-server-timeout') return { condition: 'timeout' };
  if (condition === 'feature-not-implemented') return { condition: 'unsupported-applications' };
  // The peer's device went away between the roster's presence and our request.
  if (['service-unavailable', 'item-not-found', 'recipient-unavailable', 'remote-server-not-found'].includes(condition)) return { condition: 'gone' };
  return { condition: 'failed-application', text: `${action} refused: ${condition}` };
}
