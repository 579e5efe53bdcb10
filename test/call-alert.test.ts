// The alert of a call ringing in a hidden tab: notification and flashing title, with a fake document, Notification and clock.
import { beforeEach, describe, expect, it } from 'vitest';
import { type AlertDocument, type CallAlert, type NotificationApi, askNotificationPermission, createCallAlert } from '../src/ui/call-alert.ts';
import { FakeClock } from './fakes.ts';

// The browser's own objects fit what the alert takes.
type Fits = [Document extends AlertDocument ? 1 : 0, typeof Notification extends NotificationApi ? 1 : 0];
void ([1, 1] satisfies Fits);

class FakeDocument implements AlertDocument {
  hidden = false;
  title = 'Jingle Lab';
  focused = 0;
  readonly listeners = new Set<() => void>();
  readonly defaultView = { focus: () => void this.focused++ };
  addEventListener(_type: 'visibilitychange', listener: () => void) {
    this.listeners.add(listener);
  }
  removeEventListener(_type: 'visibilitychange', listener: () => void) {
    this.listeners.delete(listener);
  }
  /** The user switches to another tab (true) or back (false). */
  switchAway(hidden: boolean) {
    this.hidden = hidden;
    for (const listener of [...this.listeners]) listener();
  }
}

interface FakeNotification {
  title: string;
  options?: NotificationOptions | undefined;
  closed: boolean;
  onclick: ((event: Event) => unknown) | null;
}

/** A Notification class as the browser has it, with the permission `permission` and the user answering `answer`. */
function fakeNotificationApi(permission: NotificationPermission, answer: NotificationPermission = 'granted') {
  const shown: FakeNotification[] = [];
  const api = class implements FakeNotification {
    static permission = permission;
    static requests = 0;
    static async requestPermission() {
      api.requests++;
      api.permission = answer;
      return answer;
    }
    closed = false;
    onclick: ((event: Event) => unknown) | null = null;
    constructor(
      readonly title: string,
      readonly options?: NotificationOptions,
    ) {
      shown.push(this);
    }
    close() {
      this.closed = true;
    }
  };
  return Object.assign(api, { shown });
}

const ALICE = { sid: 'sid-1', caller: 'Alice', media: 'video' as const };

describe('alerting to a call that rings in a hidden tab', () => {
  let document: FakeDocument;
  let clock: FakeClock;
  let Notification: ReturnType<typeof fakeNotificationApi>;
  let alert: CallAlert;

  beforeEach(() => {
    document = new FakeDocument();
    clock = new FakeClock();
    Notification = fakeNotificationApi('granted');
    alert = createCallAlert({ document, Notification, clock });
  });

  describe('the permission to notify', () => {
    it('is not asked for when a call rings', () => {
      Notification = fakeNotificationApi('default');
      alert = createCallAlert({ document, Notification, clock });
      document.hidden = true;
      alert.ring(ALICE);
      expect(Notification.requests).toBe(0);
      expect(Notification.shown).toHaveLength(0);
    });

    it('is asked for when the app asks, and the answer told', async () => {
      Notification = fakeNotificationApi('default', 'granted');
      alert = createCallAlert({ document, Notification, clock });
      expect(await alert.askPermission()).toBe('granted');
      expect(Notification.requests).toBe(1);
    });

    it('is not asked for again once the user has refused', async () => {
      Notification = fakeNotificationApi('denied');
      expect(await askNotificationPermission(Notification)).toBe('denied');
      expect(Notification.requests).toBe(0);
    });

    it('is asked for the Safari way, through a callback, where there is no promise', async () => {
      const api = fakeNotificationApi('default');
      const callbackOnly = Object.assign(api, { requestPermission: (callback?: (p: NotificationPermission) => void) => void callback?.('granted') });
      expect(await askNotificationPermission(callbackOnly)).toBe('granted');
    });

    it('is unsupported in a browser without notifications', async () => {
      expect(await createCallAlert({ document, clock }).askPermission()).toBe('unsupported');
    });
  });

  describe('the notification', () => {
    it('shows who calls, once per call, until it is answered or dismissed', () => {
      document.hidden = true;
      alert.ring(ALICE);
      expect(Notification.shown.map((n) => [n.title, n.options])).toEqual([['Incoming video call', { body: 'Alice is calling', tag: 'sid-1', requireInteraction: true }]]);
    });

    it('names a call without video a voice call', () => {
      document.hidden = true;
      alert.ring({ ...ALICE, media: 'audio' });
      expect(Notification.shown[0]!.title).toBe('Incoming voice call');
    });

    it('is not shown while the tab is in view', () => {
      alert.ring(ALICE);
      expect(Notification.shown).toHaveLength(0);
    });

    it('is not shown without permission', () => {
      Notification = fakeNotificationApi('denied');
      alert = createCallAlert({ document, Notification, clock });
      document.hidden = true;
      alert.ring(ALICE);
      expect(Notification.shown).toHaveLength(0);
    });

    it('shows when the user switches away while the call rings', () => {
      alert.ring(ALICE);
      document.switchAway(true);
      expect(Notification.shown).toHaveLength(1);
    });

    it('closes when the user comes back to the tab', () => {
      document.hidden = true;
      alert.ring(ALICE);
      document.switchAway(false);
      expect(Notification.shown[0]!.closed).toBe(true);
    });

    it('closes when the ringing stops', () => {
      document.hidden = true;
      alert.ring(ALICE);
      alert.stop();
      expect(Notification.shown[0]!.closed).toBe(true);
    });

    it('brings the window forward and tells the app when clicked', () => {
      let clicked = 0;
      document.hidden = true;
      alert.ring({ ...ALICE, onClick: () => clicked++ });
      Notification.shown[0]!.onclick!(new Event('click'));
      expect([document.focused, clicked, Notification.shown[0]!.closed]).toEqual([1, 1, true]);
    });

    it('gives way to the next call’s', () => {
      document.hidden = true;
      alert.ring(ALICE);
      alert.ring({ sid: 'sid-2', caller: 'Bob', media: 'audio' });
      expect(Notification.shown.map((n) => [n.options?.tag, n.closed])).toEqual([['sid-1', true], ['sid-2', false]]);
      expect(document.listeners.size).toBe(1);
    });

    it('is left out where the browser refuses to make one, and the title still flashes', () => {
      // Chrome for Android.
      const refusing = class {
        static permission = 'granted' as const;
        static requestPermission = async () => 'granted' as const;
        onclick = null;
        close() {}
        constructor() {
          throw new TypeError("Failed to construct 'Notification': Illegal constructor. Use ServiceWorkerRegistration.showNotification() instead.");
        }
      };
      alert = createCallAlert({ document, Notification: refusing, clock });
      document.hidden = true;
      expect(() => alert.ring(ALICE)).not.toThrow();
      expect(document.title).toBe('📞 Alice is calling');
    });
  });

  describe('the title', () => {
    it('flashes between the caller and the page’s own title once a second', () => {
      document.hidden = true;
      alert.ring(ALICE);
      const titles = [document.title];
      for (let i = 0; i < 3; i++) {
        clock.advance(1000);
        titles.push(document.title);
      }
      expect(titles).toEqual(['📞 Alice is calling', 'Jingle Lab', '📞 Alice is calling', 'Jingle Lab']);
    });

    it('stays as it is while the tab is in view', () => {
      alert.ring(ALICE);
      clock.advance(3000);
      expect(document.title).toBe('Jingle Lab');
      expect(clock.pending).toBe(0);
    });

    it('starts flashing when the user switches away while the call rings', () => {
      alert.ring(ALICE);
      document.switchAway(true);
      expect(document.title).toBe('📞 Alice is calling');
    });

    it('comes back when the ringing stops, and stops flashing', () => {
      document.hidden = true;
      alert.ring(ALICE);
      alert.stop();
      expect(document.title).toBe('Jingle Lab');
      expect(clock.pending).toBe(0);
    });

    it('comes back when the user comes back to the tab', () => {
      document.hidden = true;
      alert.ring(ALICE);
      document.switchAway(false);
      clock.advance(5000);
      expect(document.title).toBe('Jingle Lab');
    });
  });

  it('stops listening to the tab once the ringing stops', () => {
    alert.ring(ALICE);
    alert.stop();
    expect(document.listeners.size).toBe(0);
    expect(alert.ringing).toBe(false);
  });

  it('counts as ringing from ring() to stop()', () => {
    alert.ring(ALICE);
    expect(alert.ringing).toBe(true);
  });

  it('takes a second stop() in its stride', () => {
    document.hidden = true;
    alert.ring(ALICE);
    alert.stop();
    document.title = 'Call with Alice';
    alert.stop();
    expect(document.title).toBe('Call with Alice');
  });
});
