// @vitest-environment happy-dom
// The in-call screen, with a fake session: what it says while the call sets
// up, its controls and what they do, the peer's card and avatar, the
// microphone meter, and the self-view's corner.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CallControls, CallPhase, JingleSession } from '../../src/call/jingle-session.ts';
import { DIRECT_ONLY } from '../../src/call/ice-plan.ts';
import { NOTHING_SAID } from '../../src/call/session-info.ts';
import { type CallScreen } from '../../src/ui/call-screen.ts';
import '../../src/ui/call-screen.ts';

/** A track as the screen reads one: its kind, whether it is live, its device. */
function fakeTrack(kind: 'audio' | 'video'): MediaStreamTrack {
  return { kind, id: `${kind}-1`, readyState: 'live', enabled: true, getSettings: () => ({ deviceId: `${kind}-device` }) } as unknown as MediaStreamTrack;
}

function fakeSession(options: { phase?: CallPhase; direction?: 'outgoing' | 'incoming'; media?: 'audio' | 'video'; controls?: Partial<CallControls> } = {}) {
  const listeners = new Set<(session: JingleSession) => void>();
  const session = {
    phase: options.phase ?? 'connected',
    direction: options.direction ?? 'outgoing',
    media: options.media ?? 'audio',
    peer: 'alice@example.org/phone',
    peerActivity: { ...NOTHING_SAID },
    video: { sending: false, receiving: false, asking: false, asked: false },
    controls: { muted: false, held: false, microphone: true, camera: false, sharing: false, canCamera: true, canShare: true, ...options.controls } as CallControls,
    held: false,
    localStream: undefined as MediaStream | undefined,
    remoteStream: undefined as MediaStream | undefined,
    connectedAt: undefined as number | undefined,
    ice: DIRECT_ONLY,
    stats: vi.fn(async () => undefined),
    subscribe(listener: (session: JingleSession) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    setMuted: vi.fn(),
    setHeld: vi.fn(),
    setCamera: vi.fn(),
    shareScreen: vi.fn(),
    hangUp: vi.fn(),
    acceptVideo: vi.fn(),
    declineVideo: vi.fn(),
    restartIce: vi.fn(),
    useDevice: vi.fn(async () => undefined),
    /** Tells the screen the call changed, as a session does. */
    changed() {
      for (const listener of listeners) listener(session as unknown as JingleSession);
    },
  };
  return session;
}
type FakeSession = ReturnType<typeof fakeSession>;

async function show(session: FakeSession, props: Partial<Pick<CallScreen, 'avatar' | 'peerJid'>> = {}): Promise<CallScreen> {
  const screen = document.createElement('jl-call-screen') as CallScreen;
  Object.assign(screen, { session: session as unknown as JingleSession, peerName: 'Alice', ...props });
  document.body.append(screen);
  await screen.updateComplete;
  return screen;
}

async function changed(screen: CallScreen, session: FakeSession): Promise<void> {
  session.changed();
  await screen.updateComplete;
}

const root = (screen: CallScreen) => screen.shadowRoot!;
const text = (element: Element | null | undefined) => element?.textContent?.replace(/\s+/g, ' ').trim();
const buttonNames = (screen: CallScreen) => [...root(screen).querySelectorAll('button')].map((b) => text(b));
const button = (screen: CallScreen, name: string) => {
  const found = [...root(screen).querySelectorAll('button')].find((b) => text(b) === name);
  if (!found) throw new Error(`no button "${name}" among ${buttonNames(screen).join(', ')}`);
  return found;
};

afterEach(() => {
  document.body.replaceChildren();
  vi.unstubAllGlobals();
});

describe('while the call sets up', () => {
  it.each([
    ['calling', 'Calling Alice…'],
    ['ringing', 'Ringing…'],
    ['connecting', 'Connecting…'],
  ] as const)('says %s as "%s" under the peer’s name, in a live status', async (phase, said) => {
    const screen = await show(fakeSession({ phase }));
    const status = root(screen).querySelector('[role="status"]')!;
    expect(status.getAttribute('aria-live')).toBe('polite');
    expect(text(status.querySelector(`[data-phase="${phase}"]`))).toBe(said);
    expect(text(root(screen).querySelector('[data-peer-card] .name'))).toBe('Alice');
  });

  it('offers "Cancel" until the callee answers, and "Hang up" once it has', async () => {
    const session = fakeSession({ phase: 'ringing' });
    const screen = await show(session);
    expect(buttonNames(screen)).toContain('Cancel');
    expect(buttonNames(screen)).not.toContain('Hang up');
    session.phase = 'connecting';
    await changed(screen, session);
    expect(buttonNames(screen)).toContain('Hang up');
    expect(buttonNames(screen)).not.toContain('Cancel');
  });

  it('cancels the call with "Cancel"', async () => {
    const session = fakeSession({ phase: 'calling' });
    const screen = await show(session);
    button(screen, 'Cancel').click();
    expect(session.hangUp).toHaveBeenCalledOnce();
  });

  it('offers "Hang up" at once for a call we answered', async () => {
    const screen = await show(fakeSession({ phase: 'connecting', direction: 'incoming' }));
    expect(buttonNames(screen)).toContain('Hang up');
  });
});

describe('the controls', () => {
  it('are named Inspector, Hold, Mute, Camera, Settings and Hang up, without a screen to share in this browser', async () => {
    const screen = await show(fakeSession());
    expect(buttonNames(screen)).toEqual(['Inspector', 'Hold', 'Mute', 'Camera', 'Settings', 'Hang up', 'Restart ICE']);
  });

  it('ask for the inspector of this call, and say whether it shows it', async () => {
    const screen = await show(fakeSession());
    const asked: string[] = [];
    screen.addEventListener('inspect', (e) => asked.push((e as CustomEvent<{ sid: string }>).detail.sid));
    const button = [...screen.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Inspector')!;
    expect(button.getAttribute('aria-pressed')).toBe('false');
    button.click();
    expect(asked).toEqual([screen.session!.sid]);
    screen.inspecting = true;
    await screen.updateComplete;
    expect(button.getAttribute('aria-pressed')).toBe('true');
  });

  it('offer "Share screen" where the browser can share one', async () => {
    vi.stubGlobal('navigator', { ...navigator, mediaDevices: { getDisplayMedia: () => Promise.reject(new Error('not in a test')) } });
    const screen = await show(fakeSession());
    expect(buttonNames(screen)).toContain('Share screen');
  });

  it('say with aria-pressed whether the microphone is muted, the camera sends and the call is held', async () => {
    const session = fakeSession({ controls: { muted: true, camera: true } });
    session.held = true;
    const screen = await show(session);
    expect(button(screen, 'Unmute').getAttribute('aria-pressed')).toBe('true');
    expect(button(screen, 'Camera').getAttribute('aria-pressed')).toBe('true');
    expect(button(screen, 'Resume').getAttribute('aria-pressed')).toBe('true');
    session.controls = { ...session.controls, muted: false, camera: false };
    session.held = false;
    await changed(screen, session);
    expect(button(screen, 'Mute').getAttribute('aria-pressed')).toBe('false');
    expect(button(screen, 'Camera').getAttribute('aria-pressed')).toBe('false');
    expect(button(screen, 'Hold').getAttribute('aria-pressed')).toBe('false');
  });

  it('each have a tooltip', async () => {
    const screen = await show(fakeSession());
    const untitled = [...root(screen).querySelectorAll('.controls button')].filter((b) => !b.getAttribute('title'));
    expect(untitled.map((b) => text(b))).toEqual([]);
  });

  it('mute the microphone on Mute', async () => {
    const session = fakeSession();
    const screen = await show(session);
    button(screen, 'Mute').click();
    expect(session.setMuted).toHaveBeenCalledWith(true);
  });

  it('put the call on hold on Hold', async () => {
    const session = fakeSession();
    const screen = await show(session);
    button(screen, 'Hold').click();
    expect(session.setHeld).toHaveBeenCalledWith(true);
  });

  it('disable Mute when no microphone sends, and say why', async () => {
    const screen = await show(fakeSession({ controls: { microphone: false } }));
    expect(button(screen, 'Mute').disabled).toBe(true);
    expect(button(screen, 'Mute').title).toBe('No microphone: you can listen but not be heard');
  });

  it('open the Devices group on Settings, and say so with aria-expanded', async () => {
    const screen = await show(fakeSession());
    expect(root(screen).querySelector('[role="group"][aria-label="Devices"]')).toBeNull();
    button(screen, 'Settings').click();
    await screen.updateComplete;
    expect(button(screen, 'Settings').getAttribute('aria-expanded')).toBe('true');
    expect(root(screen).querySelector('[role="group"][aria-label="Devices"] jl-device-settings')).not.toBeNull();
  });
});

describe('the methods the shell’s shortcuts call', () => {
  it('toggleMute() mutes, and unmutes a muted microphone', async () => {
    const session = fakeSession();
    const screen = await show(session);
    screen.toggleMute();
    expect(session.setMuted).toHaveBeenLastCalledWith(true);
    session.controls = { ...session.controls, muted: true };
    screen.toggleMute();
    expect(session.setMuted).toHaveBeenLastCalledWith(false);
  });

  it('toggleMute() does nothing without a microphone', async () => {
    const session = fakeSession({ controls: { microphone: false } });
    const screen = await show(session);
    screen.toggleMute();
    expect(session.setMuted).not.toHaveBeenCalled();
  });

  it('toggleCamera() turns the camera on, and off when it sends', async () => {
    const session = fakeSession();
    const screen = await show(session);
    screen.toggleCamera();
    expect(session.setCamera).toHaveBeenLastCalledWith(true);
    session.controls = { ...session.controls, camera: true };
    screen.toggleCamera();
    expect(session.setCamera).toHaveBeenLastCalledWith(false);
  });

  it('toggleCamera() does nothing while the camera button is disabled', async () => {
    const session = fakeSession({ phase: 'ringing', controls: { canCamera: false } });
    const screen = await show(session);
    screen.toggleCamera();
    expect(session.setCamera).not.toHaveBeenCalled();
  });

  it('hangUp() hangs up', async () => {
    const session = fakeSession();
    const screen = await show(session);
    screen.hangUp();
    expect(session.hangUp).toHaveBeenCalledOnce();
  });
});

describe('the stage', () => {
  it('shows the peer’s card, with "Camera off" and the avatar, when the peer’s camera is off', async () => {
    const session = fakeSession({ media: 'video' });
    session.video = { ...session.video, receiving: true, sending: true };
    session.peerActivity = { ...NOTHING_SAID, cameraOff: true };
    const screen = await show(session, { avatar: 'data:image/png;base64,AAAA' });
    const card = root(screen).querySelector('[data-peer-card]')!;
    expect(text(card)).toContain('Alice');
    expect(text(card)).toContain('Camera off');
    expect(card.querySelector('jl-avatar')?.src).toBe('data:image/png;base64,AAAA');
    expect(root(screen).querySelector('video.remote')).toBeNull();
    expect(text(root(screen).querySelector('[data-peer-activity]'))).toBe('Alice turned their camera off');
  });

  it('shows the peer’s video instead of the card while it comes in', async () => {
    const session = fakeSession({ media: 'video' });
    session.video = { ...session.video, receiving: true };
    const screen = await show(session);
    expect(root(screen).querySelector('video.remote')).not.toBeNull();
    expect(root(screen).querySelector('[data-peer-card]')).toBeNull();
    expect(text(root(screen).querySelector('[data-phase]'))).toBe('Connected');
  });

  it('shows an audio call as the peer’s avatar, name and status, with the avatar coloured by the JID given', async () => {
    const screen = await show(fakeSession(), { peerJid: 'alice@example.org' });
    const card = root(screen).querySelector('[data-peer-card]')!;
    const avatar = card.querySelector('jl-avatar')!;
    expect(avatar.jid).toBe('alice@example.org');
    expect(avatar.name).toBe('Alice');
    expect(text(card.querySelector('.name'))).toBe('Alice');
    expect(text(card)).not.toContain('Camera off');
    expect(text(root(screen).querySelector('[data-phase="connected"]'))).toBe('Connected');
  });

  it('colours the avatar by the session’s peer without a JID given', async () => {
    const screen = await show(fakeSession());
    expect(root(screen).querySelector('jl-avatar')!.jid).toBe('alice@example.org');
  });

  it('shows the call’s duration once it connected', async () => {
    const session = fakeSession();
    session.connectedAt = Date.now() - 7_000;
    const screen = await show(session);
    expect(text(root(screen).querySelector('[data-call-timer]'))).toMatch(/^0:0[78]$/);
  });

  it('asks "Video request" with Turn on video and Not now', async () => {
    const session = fakeSession();
    session.video = { ...session.video, asked: true };
    const screen = await show(session);
    const dialog = root(screen).querySelector('[role="alertdialog"][aria-label="Video request"]')!;
    const [yes, no] = [...dialog.querySelectorAll('button')];
    expect([text(yes), text(no)]).toEqual(['Turn on video', 'Not now']);
    no!.click();
    expect(session.declineVideo).toHaveBeenCalledOnce();
    expect(session.acceptVideo).not.toHaveBeenCalled();
  });
});

describe('the microphone meter', () => {
  const meter = (screen: CallScreen) => root(screen).querySelector('[role="meter"]')!;

  it('is a meter named "Microphone level" from 0 to 100 that reads 0 without Web Audio', async () => {
    vi.stubGlobal('AudioContext', undefined);
    const session = fakeSession();
    session.localStream = new MediaStream([fakeTrack('audio')]);
    const screen = await show(session);
    expect(meter(screen).getAttribute('aria-label')).toBe('Microphone level');
    expect(meter(screen).getAttribute('aria-valuemin')).toBe('0');
    expect(meter(screen).getAttribute('aria-valuemax')).toBe('100');
    expect(meter(screen).getAttribute('aria-valuenow')).toBe('0');
  });

  /** An AudioContext whose analyser hears a steady tone of this amplitude. */
  function fakeAudio(amplitude: number) {
    const close = vi.fn(async () => undefined);
    class FakeAudioContext {
      createAnalyser() {
        return { fftSize: 2048, getFloatTimeDomainData: (into: Float32Array) => into.fill(amplitude) };
      }
      createMediaStreamSource() {
        return { connect: vi.fn(), disconnect: vi.fn() };
      }
      resume = vi.fn(async () => undefined);
      close = close;
    }
    vi.stubGlobal('AudioContext', FakeAudioContext);
    return { close };
  }

  it('rises with the microphone, reads 0 while muted, and closes its audio context when the screen goes', async () => {
    const { close } = fakeAudio(0.1);
    const session = fakeSession();
    session.localStream = new MediaStream([fakeTrack('audio')]);
    const screen = await show(session);
    // 0.1 is -20 dBFS: 80 on a scale from -60 to -10 dB.
    await vi.waitFor(() => expect(meter(screen).getAttribute('aria-valuenow')).toBe('80'));
    session.controls = { ...session.controls, muted: true };
    await changed(screen, session);
    expect(meter(screen).getAttribute('aria-valuenow')).toBe('0');
    expect(close).not.toHaveBeenCalled();
    screen.remove();
    expect(close).toHaveBeenCalledOnce();
  });

  it('closes its audio context when the call ends', async () => {
    const { close } = fakeAudio(0.1);
    const session = fakeSession();
    session.localStream = new MediaStream([fakeTrack('audio')]);
    const screen = await show(session);
    session.phase = 'ended';
    await changed(screen, session);
    expect(close).toHaveBeenCalledOnce();
  });
});

describe('the self-view', () => {
  async function withCamera(): Promise<{ screen: CallScreen; self: HTMLVideoElement }> {
    const session = fakeSession({ media: 'video', controls: { camera: true } });
    session.localStream = new MediaStream([fakeTrack('audio'), fakeTrack('video')]);
    const screen = await show(session);
    return { screen, self: root(screen).querySelector<HTMLVideoElement>('video.self')! };
  }

  const press = (element: Element, key: string) => {
    const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true });
    element.dispatchEvent(event);
    return event;
  };

  it('is focusable and named for what the arrow keys do', async () => {
    const { self } = await withCamera();
    expect(self.getAttribute('tabindex')).toBe('0');
    expect(self.getAttribute('aria-label')).toBe('Your video, press arrow keys to move it');
    expect(self.dataset.corner).toBe('bottom-right');
  });

  it('moves to the bottom left on ArrowLeft, then to the top left on ArrowUp', async () => {
    const { screen, self } = await withCamera();
    expect(press(self, 'ArrowLeft').defaultPrevented).toBe(true);
    await screen.updateComplete;
    expect(self.dataset.corner).toBe('bottom-left');
    press(self, 'ArrowUp');
    await screen.updateComplete;
    expect(self.dataset.corner).toBe('top-left');
  });

  it('leaves other keys alone', async () => {
    const { screen, self } = await withCamera();
    expect(press(self, 'Enter').defaultPrevented).toBe(false);
    await screen.updateComplete;
    expect(self.dataset.corner).toBe('bottom-right');
  });

  it('dragged with the pointer, follows it inside the stage and settles in the nearest corner', async () => {
    const { screen, self } = await withCamera();
    const view = root(screen).querySelector<HTMLElement>('.view')!;
    const rect = (x: number, y: number, width: number, height: number) => ({ x, y, left: x, top: y, width, height, right: x + width, bottom: y + height, toJSON: () => ({}) });
    view.getBoundingClientRect = () => rect(0, 0, 800, 450);
    let at = { x: 600, y: 330 };
    self.getBoundingClientRect = () => rect(at.x, at.y, 180, 100);
    const pointer = (type: string, clientX: number, clientY: number) =>
      self.dispatchEvent(new PointerEvent(type, { pointerId: 1, button: 0, clientX, clientY, bubbles: true }));
    pointer('pointerdown', 610, 340);
    // Far past the top left: held at the stage's edge.
    pointer('pointermove', -500, -500);
    await screen.updateComplete;
    expect([self.style.left, self.style.top]).toEqual(['0px', '0px']);
    expect(self.classList.contains('dragging')).toBe(true);
    at = { x: 0, y: 0 };
    pointer('pointerup', -500, -500);
    await screen.updateComplete;
    expect(self.dataset.corner).toBe('top-left');
    expect(self.classList.contains('dragging')).toBe(false);
  });
});
