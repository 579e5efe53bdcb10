// While a call rings in a hidden tab: a system notification, and the tab's
// title flashing "📞 Alice is calling". Both go as soon as the tab is seen.
import type { Clock } from '../call/clock.ts';

/** What of `document` the alert uses. */
export interface AlertDocument {
  readonly hidden: boolean;
  title: string;
  addEventListener(type: 'visibilitychange', listener: () => void): void;
  removeEventListener(type: 'visibilitychange', listener: () => void): void;
  readonly defaultView?: { focus(): void } | null;
}

/** What of the Notification API the alert uses; `window.Notification` is one. */
export interface NotificationApi {
  new (title: string, options?: NotificationOptions): ShownNotification;
  readonly permission: NotificationPermission;
  requestPermission(callback?: (permission: NotificationPermission) => void): Promise<NotificationPermission> | undefined;
}

export interface ShownNotification {
  onclick: ((event: Event) => unknown) | null;
  close(): void;
}

export interface RingOptions {
  /** The Jingle sid: the notification's tag, so that the same call never shows twice. */
  sid: string;
  caller: string;
  media: 'audio' | 'video';
  /** The notification was clicked (the window is already brought forward). */
  onClick?: () => void;
}

export interface CallAlert {
  ring(options: RingOptions): void;
  stop(): void;
  /** See askNotificationPermission(). */
  askPermission(): Promise<NotificationPermission | 'unsupported'>;
  readonly ringing: boolean;
}

const FLASH_MS = 1000;

/**
 * Asks to show notifications, once: the answer stands, and a refusal cannot be asked again.
 * Call it from a click (placing the first call, an "alert me" switch), never at load:
 * Firefox 72+ ignores the request without a user gesture, and Chromium quiets
 * the prompts of sites that ask unprompted.
 */
export async function askNotificationPermission(api: NotificationApi | undefined): Promise<NotificationPermission | 'unsupported'> {
  if (!api) return 'unsupported';
  if (api.permission !== 'default') return api.permission;
  // Safari before 15 takes only the callback and returns nothing.
  return new Promise((resolve) => {
    api.requestPermission(resolve)?.then(resolve, () => resolve(api.permission));
  });
}

export function createCallAlert({ document, Notification, clock }: { document: AlertDocument; Notification?: NotificationApi | undefined; clock: Clock }): CallAlert {
  let call: { options: RingOptions; title: string; notification?: ShownNotification | undefined; timer?: unknown; flashing: boolean } | undefined;

  const onVisibility = () => {
    if (!call) return;
    if (document.hidden) {
      notify();
      flash();
    } else {
      // The page's own incoming-call screen is in view now.
      closeNotification();
      stopFlashing();
    }
  };

  const notify = () => {
    if (!call || call.notification || Notification?.permission !== 'granted') return;
    const { sid, caller, media, onClick } = call.options;
    try {
      const notification = new Notification(media === 'video' ? 'Incoming video call' : 'Incoming voice call', {
        body: `${caller} is calling`,
        tag: sid,
        // Stays until answered or dismissed, as a ringing phone does.
        requireInteraction: true,
      });
      notification.onclick = () => {
        // A click does not bring the page forward by itself.
        document.defaultView?.focus();
        notification.close();
        onClick?.();
      };
      call.notification = notification;
    } catch {
      // Chrome for Android has no page notifications ("Illegal constructor": only a
      // service worker may show one); the title still flashes.
    }
  };

  const closeNotification = () => {
    call?.notification?.close();
    if (call) call.notification = undefined;
  };

  const flash = () => {
    if (!call || call.timer !== undefined) return;
    const tick = () => {
      if (!call) return;
      call.flashing = !call.flashing;
      document.title = call.flashing ? `📞 ${call.options.caller} is calling` : call.title;
      call.timer = clock.setTimeout(tick, FLASH_MS);
    };
    tick();
  };

  const stopFlashing = () => {
    if (!call) return;
    if (call.timer !== undefined) clock.clearTimeout(call.timer);
    call.timer = undefined;
    if (call.flashing) document.title = call.title;
    call.flashing = false;
  };

  const stop = () => {
    if (!call) return;
    document.removeEventListener('visibilitychange', onVisibility);
    closeNotification();
    stopFlashing();
    call = undefined;
  };

  return {
    ring(options) {
      stop();
      call = { options, title: document.title, flashing: false };
      document.addEventListener('visibilitychange', onVisibility);
      onVisibility();
    },
    stop,
    askPermission: () => askNotificationPermission(Notification),
    get ringing() {
      return call !== undefined;
    },
  };
}
