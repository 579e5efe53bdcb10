// XEP-0167 §7 informational messages: what the peer tells of its side.
import type { SessionInfo } from '../jingle/index.ts';

export interface PeerActivity {
  ringing: boolean;
  /** Its microphone is muted. */
  muted: boolean;
  /** Its camera is off: its video content stays, but sends nothing. */
  cameraOff: boolean;
  /** Its video shows its screen (Jingle Lab's own notice). */
  sharing: boolean;
  held: boolean;
}

export const NOTHING_SAID: PeerActivity = { ringing: false, muted: false, cameraOff: false, sharing: false, held: false };

/**
 * The peer's side after its session-info. `mediaOf` names the medium of a
 * content: a mute of the video content turns the camera off; one without a
 * name mutes every content (XEP-0167 §7.3).
 */
export function afterInfo(activity: PeerActivity, info: SessionInfo | undefined, mediaOf: (name: string) => string | undefined = () => 'audio'): PeerActivity {
  switch (info?.kind) {
    case 'ringing':
      return { ...activity, ringing: true };
    case 'active':
      return { ...activity, ringing: false };
    case 'mute':
    case 'unmute': {
      const on = info.kind === 'mute';
      const media = info.name === undefined ? undefined : mediaOf(info.name);
      if (media === 'video') return { ...activity, cameraOff: on };
      if (media === 'audio') return { ...activity, muted: on };
      return info.name === undefined ? { ...activity, muted: on, cameraOff: on } : activity;
    }
    case 'screen':
      return { ...activity, sharing: info.sharing, ...(info.sharing ? { cameraOff: false } : {}) };
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
  const parts = [activity.muted ? 'muted their microphone' : '', activity.cameraOff ? 'turned their camera off' : '', activity.sharing ? 'is sharing their screen' : ''].filter(Boolean);
  if (parts.length === 0) return undefined;
  return `${name} ${parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : parts[0]}`;
}
