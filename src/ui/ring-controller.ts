// What an incoming call sounds and shows beyond the page: the ring tone
// (Web Audio) while any call rings here, and, in a hidden tab, a system
// notification and the title flashing. Both stop as the call is answered,
// declined, or taken elsewhere.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { systemClock } from '../call/clock.ts';
import type { JingleSession } from '../call/jingle-session.ts';
import { type CallAlert, createCallAlert } from './call-alert.ts';
import { createRingtone, type Ringtone } from './ringtone.ts';

export class RingController implements ReactiveController {
  private readonly ringtone: Ringtone;
  private readonly alert: CallAlert;
  /** The ring tone's context now, for the end-to-end tests (its state says whether it sounds). */
  private context?: AudioContext;
  private asked = false;
  private ringingSid?: string;

  constructor(host: ReactiveControllerHost) {
    host.addController(this);
    this.ringtone = createRingtone(() => (this.context = new AudioContext()));
    this.alert = createCallAlert({ document, Notification: globalThis.Notification, clock: systemClock });
  }

  /** The calls changed: ring for the first one that rings here, or stop. */
  follow(calls: readonly JingleSession[], nameOf: (jid: string) => string): void {
    const ringing = calls.find((c) => c.phase === 'incoming');
    if (ringing?.sid === this.ringingSid) return;
    this.stop();
    if (!ringing) return;
    this.ringingSid = ringing.sid;
    try {
      this.ringtone.start();
    } catch {
      // No Web Audio here: the call rings silently, and is still shown.
    }
    this.alert.ring({ sid: ringing.sid, caller: nameOf(ringing.peer), media: ringing.media, onClick: () => globalThis.focus?.() });
  }

  /**
   * Asks once whether calls may show a system notification, at a moment the
   * user acts on a call (placing or answering one), never at page load.
   */
  askForNotifications(): void {
    if (this.asked) return;
    this.asked = true;
    void this.alert.askPermission();
  }

  /** For the console and the end-to-end tests. */
  get state(): { playing: boolean; audio: AudioContextState | 'none'; alerting: boolean } {
    return { playing: this.ringtone.playing, audio: this.context?.state ?? 'none', alerting: this.alert.ringing };
  }

  hostDisconnected(): void {
    this.stop();
  }

  private stop(): void {
    this.ringingSid = undefined;
    this.ringtone.stop();
    this.alert.stop();
  }
}
