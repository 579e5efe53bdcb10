// During a call between two Jingle Lab parties: the camera off and on, a
// screen shared in its place, a device switched; and calls where a camera
// is missing, the microphone is blocked, or the callee's devices are slow to
// open. Each on real Chromium media.
import { type Browser, chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../scripts/browser.mjs';
import { call, expect, expectRising, incoming, logIn, type Party, phase, stats, test } from './parties.ts';

const button = (party: Party, name: string) => party.page.getByRole('button', { name, exact: true });

async function connect(alice: Party, bob: Party, media: 'audio' | 'video'): Promise<void> {
  await call(alice, bob, media);
  await incoming(bob).getByRole('button', { name: 'Accept' }).click();
  await expect(phase(alice)).toHaveText('Connected');
  await expect(phase(bob)).toHaveText('Connected');
}

/** Decoded frames stay where they are for a while: no video comes in. */
async function expectNoFrames(party: Party): Promise<void> {
  // Frames already in flight may still land; then the count must hold still across several samples.
  let last = -1;
  let still = 0;
  await expect.poll(async () => {
    const now = (await stats(party)).framesDecoded;
    still = now === last ? still + 1 : 0;
    last = now;
    return still;
  }, { message: `${party.name} receives no more video frames`, intervals: [500], timeout: 20_000 }).toBeGreaterThanOrEqual(4);
}

const localLabels = (party: Party, kind: 'audio' | 'video') =>
  party.page.evaluate((k) => {
    const lab = globalThis as unknown as { jingleLab: { calls(): { localStream?: MediaStream }[] } };
    const stream = lab.jingleLab.calls()[0]?.localStream;
    return (k === 'audio' ? stream?.getAudioTracks() : stream?.getVideoTracks())?.map((t) => t.label) ?? [];
  }, kind);

test('the camera off and on in a video call: the peer sees the name instead of a frozen frame, then the video again', async ({ alice, bob }) => {
  await connect(alice, bob, 'video');
  await expectRising(bob, ['framesDecoded']);
  await expect(button(alice, 'Camera')).toHaveAttribute('aria-pressed', 'true');

  await button(alice, 'Camera').click();
  await expect(button(alice, 'Camera')).toHaveAttribute('aria-pressed', 'false');
  await expect(alice.page.locator('video.self')).toHaveCount(0);
  // session-info <mute name='…'/> of the video content: Bob shows Alice's name.
  await expect(bob.page.locator('[data-peer-card]')).toContainText('Alice');
  await expect(bob.page.locator('[data-peer-card]')).toContainText('Camera off');
  await expect(bob.page.locator('[data-peer-activity]')).toHaveText('Alice turned their camera off');
  await expectNoFrames(bob);
  // Her audio and Bob's video go on.
  await expectRising(bob, ['inboundAudioBytes']);
  await expectRising(alice, ['framesDecoded', 'inboundAudioBytes']);

  await button(alice, 'Camera').click();
  await expect(button(alice, 'Camera')).toHaveAttribute('aria-pressed', 'true');
  await expect(bob.page.locator('video.remote')).toBeVisible();
  await expect(bob.page.locator('[data-peer-activity]')).toHaveCount(0);
  await expectRising(bob, ['framesDecoded']);
  // Neither change renegotiated: no content-* or new offer went.
  const timeline = await alice.page.evaluate(() => (globalThis as unknown as { jingleLab: { timelines(): { timeline: { name: string }[] }[] } }).jingleLab.timelines().at(-1)!.timeline.map((e) => e.name));
  expect(timeline).toEqual(expect.arrayContaining(['video-off', 'camera-on']));
  expect(timeline.filter((n) => n.startsWith('content-'))).toEqual([]);
  await button(alice, 'Hang up').click();
});

test('sharing the screen in a video call: the peer’s frames take the screen’s size, and the camera’s again after “Stop sharing”', async ({ alice, bob }) => {
  await connect(alice, bob, 'video');
  await expectRising(bob, ['framesDecoded']);
  const camera = await stats(bob);
  expect(camera.frameWidth).toBeGreaterThan(0);

  await button(alice, 'Share screen').click();
  await expect(button(alice, 'Stop sharing')).toHaveAttribute('aria-pressed', 'true');
  await expect(button(alice, 'Camera')).toHaveAttribute('aria-pressed', 'false');
  // Chromium's fake screen is 1280×720; its fake camera 640×480.
  await expect.poll(async () => (await stats(bob)).frameWidth, { message: 'Bob decodes frames of the screen’s width' }).toBe(1280);
  await expect(bob.page.locator('[data-peer-activity]')).toHaveText('Alice is sharing their screen');
  await expectRising(bob, ['framesDecoded']);

  await button(alice, 'Stop sharing').click();
  await expect(button(alice, 'Camera')).toHaveAttribute('aria-pressed', 'true');
  // The camera's size, or (on a busy machine, where WebRTC scales its encoder
  // down for a while after the larger screen) a smaller frame of its 4:3.
  await expect.poll(async () => {
    const { frameWidth, frameHeight } = await stats(bob);
    return frameWidth > 0 && frameWidth <= camera.frameWidth && frameWidth * camera.frameHeight === frameHeight * camera.frameWidth;
  }, { message: 'Bob decodes the camera’s frames again' }).toBe(true);
  await expect(bob.page.locator('[data-peer-activity]')).toHaveCount(0);
  await button(alice, 'Hang up').click();
});

test('sharing the screen in an audio call adds video (content-add), and the browser’s own “Stop sharing” ends it', async ({ alice, bob }) => {
  await connect(alice, bob, 'audio');
  await button(alice, 'Share screen').click();
  await bob.page.getByRole('alertdialog', { name: 'Video request' }).getByRole('button', { name: 'Turn on video' }).click();
  await expect.poll(async () => (await stats(bob)).frameWidth, { message: 'Bob decodes the shared screen' }).toBe(1280);
  await expectRising(bob, ['framesDecoded']);
  // The browser's bar ends the capture: the track ends on its own.
  await alice.page.evaluate(() => {
    const lab = globalThis as unknown as { jingleLab: { calls(): { localStream?: MediaStream }[] } };
    const track = lab.jingleLab.calls()[0]!.localStream!.getVideoTracks()[0]!;
    track.stop();
    track.dispatchEvent(new Event('ended'));
  });
  await expect(button(alice, 'Share screen')).toHaveAttribute('aria-pressed', 'false');
  await expect(bob.page.locator('[data-peer-card]')).toContainText('Camera off');
  await expectNoFrames(bob);
  await expectRising(bob, ['inboundAudioBytes']);
  await button(alice, 'Hang up').click();
});

test('switching microphone and camera mid-call: the sending track changes, and the peer keeps receiving', async ({ alice, bob }) => {
  await connect(alice, bob, 'video');
  expect(await localLabels(alice, 'audio')).toEqual(['Fake Default Audio Input']);
  expect(await localLabels(alice, 'video')).toEqual(['fake_device_0']);
  await button(alice, 'Settings').click();
  const devices = alice.page.getByRole('group', { name: 'Devices' });
  await devices.getByLabel('Microphone').selectOption({ label: 'Fake Audio Input 1' });
  await expect.poll(() => localLabels(alice, 'audio')).toEqual(['Fake Audio Input 1']);
  // Chromium's fake_device_1 gives frames WebRTC cannot encode (Y16); the third camera sends.
  await devices.getByLabel('Camera').selectOption({ label: 'fake_device_2' });
  await expect.poll(() => localLabels(alice, 'video')).toEqual(['fake_device_2']);
  await expectRising(bob, ['inboundAudioBytes', 'framesDecoded']);
  // The speaker: the call's media element plays on the one picked (setSinkId).
  await devices.getByLabel('Speaker').selectOption({ label: 'Fake Audio Output 1' });
  const speaker = await devices.getByLabel('Speaker').inputValue();
  await expect.poll(() => alice.page.locator('video.remote').evaluate((v: HTMLMediaElement & { sinkId?: string }) => v.sinkId)).toBe(speaker);
  // Remembered for the next call.
  const saved = await alice.page.evaluate(() => localStorage.getItem('jinglelab.devices'));
  expect(Object.keys(JSON.parse(saved!))).toEqual(expect.arrayContaining(['microphone', 'camera', 'speaker']));
  await button(alice, 'Hang up').click();
  await connect(alice, bob, 'video');
  expect(await localLabels(alice, 'audio')).toEqual(['Fake Audio Input 1']);
  expect(await localLabels(alice, 'video')).toEqual(['fake_device_2']);
  await expectRising(bob, ['framesDecoded']);
  await button(alice, 'Hang up').click();
});

/**
 * `user` logged in from a browser of its own whose fake devices (or whose
 * answer to permission prompts) differ from the others', for `body`.
 */
async function fromOtherBrowser(user: string, fakeDevices: string, fakeUi: string, body: (party: Party) => Promise<void>): Promise<void> {
  const options = chromiumLaunchOptions();
  const args = options.args.filter((a: string) => !a.startsWith('--use-fake-device-for-media-stream') && !a.startsWith('--use-fake-ui-for-media-stream'));
  const browser: Browser = await chromium.launch({ ...options, args: [...args, fakeDevices, fakeUi] });
  try {
    const party = await logIn(browser, user);
    try {
      await body(party);
    } finally {
      await party.close();
    }
  } finally {
    await browser.close();
  }
}

test('a video call from a machine without a camera goes on as audio from it, and the callee sees its name', async ({ bob }) => {
  await fromOtherBrowser('alice', '--use-fake-device-for-media-stream=device-count=0', '--use-fake-ui-for-media-stream', async (alice) => {
    await connect(alice, bob, 'video');
    await expect(alice.page.locator('[data-media-notice]')).toHaveText('No camera was found: the call goes on without your video.');
    // Alice still sees Bob; Bob hears Alice and sees her name.
    await expectRising(alice, ['framesDecoded', 'inboundAudioBytes']);
    await expectRising(bob, ['inboundAudioBytes']);
    expect((await stats(bob)).framesDecoded).toBe(0);
    await expect(bob.page.locator('[data-peer-card]')).toContainText('Alice');
    await expect(button(alice, 'Camera')).toBeDisabled();
    await button(alice, 'Hang up').click();
    await expect(bob.page.locator('[data-notice]')).toHaveText('Alice hung up');
  });
});

test('a call answered with the microphone blocked: received only, with how to allow it', async ({ alice }) => {
  await fromOtherBrowser('bob', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream=deny', async (bob) => {
    await connect(alice, bob, 'audio');
    await expect(bob.page.locator('[data-media-notice]')).toContainText('Microphone access is blocked, so you can listen but not be heard.');
    await expect(bob.page.locator('[data-media-notice]')).toContainText('allow the microphone and camera for this site');
    await expect(button(bob, 'Mute')).toBeDisabled();
    await expectRising(bob, ['inboundAudioBytes']);
    expect((await stats(alice)).inboundAudioBytes).toBe(0);
    await button(bob, 'Hang up').click();
    await expect(alice.page.locator('[data-notice]')).toHaveText('Bob hung up');
  });
});

test('a callee whose devices are slow to open answers at once: the call connects meanwhile, and its camera and microphone reach the caller once they open', async ({ alice, bob }) => {
  // Bob's getUserMedia waits until the test lets it through.
  await bob.page.evaluate(() => {
    const devices = navigator.mediaDevices;
    const open = devices.getUserMedia.bind(devices);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    (globalThis as unknown as { openDevices: () => void }).openDevices = release;
    devices.getUserMedia = async (constraints) => {
      await gate;
      return open(constraints);
    };
  });
  await connect(alice, bob, 'video');
  const steps = async () => (await bob.page.evaluate(() => (globalThis as unknown as { jingleLab: { timelines(): { timeline: { name: string }[] }[] } }).jingleLab.timelines().at(-1)!.timeline.map((e) => e.name)));
  // Connected, with the answer sent, while the devices are still closed.
  expect(await steps()).toEqual(expect.arrayContaining(['session-accept-sent', 'dtls-connected']));
  expect(await steps()).not.toContain('devices-open');
  expect((await stats(alice)).inboundAudioBytes).toBe(0);
  await bob.page.evaluate(() => (globalThis as unknown as { openDevices: () => void }).openDevices());
  await expectRising(alice, ['inboundAudioBytes', 'framesDecoded']);
  await expectRising(bob, ['inboundAudioBytes', 'framesDecoded']);
  expect(await steps()).toContain('devices-open');
  await button(alice, 'Hang up').click();
  await expect(bob.page.locator('[data-notice]')).toHaveText('Alice hung up');
});
