// XEP-0167 §7 informational messages: what the peer tells of its side.
import type { SessionInfo } from '../jingle/index.ts';

export interface PeerActivity {
  ringing: boolean;
  muted: boolean;
  held: boolean;
}

export const NOTHING_SAID: PeerActivity = { ringing: false, muted: false, held: false };

export function afterInfo(activity: PeerActivity, info: SessionInfo | undefined): PeerActivity {
  switch (info?.kind) {
    case 'ringing':
      return { ...activity, ringing: true };
    case 'active':
      return { ...activity, ringing: false };
    case 'mute':
      return { ...activity, muted: true };
    case 'unmute':
      return { ...activity, muted: false };
    case 'hold':
      return { ...activity, held: true };
    case 'unhold':
      return { ...activity, held: false };
    default:
      return activity;
  }
}

/** What to show of the peer's side; Conversations says none of it, so nothing depends on it. */
export function describeActivity(activity: PeerActivity, name: string): string | undefined {
  if (activity.held) return `${name} put the call on hold`;
  if (activity.muted) return `${name} muted their microphone`;
  return undefined;
}
