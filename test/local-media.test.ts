// During a call, without renegotiation: the camera off and on, a screen
// shared in its place, devices switched or unplugged (XEP-0167 §7
// session-info tells the peer); and what the peer tells of its own side.
import { beforeEach, describe, expect, it } from 'vitest';
import { afterInfo, describeActivity, NOTHING_SAID } from '../src/call/session-info.ts';
import { NS, jingleElement, readJingle, xml } from '../src/jingle/index.ts';
import type { FakeTrack } from './fakes.ts';
import { BOB, MidCallLab, reply } from './mid-call-lab.ts';

let lab: MidCallLab;
beforeEach(() => {
  lab = new MidCallLab({ kind: 'audio-video' });
});

/** The session-info payloads we sent, as `kind name` (and `sharing` for the screen). */
const infos = () =>
  lab.signalling.jingles('session-info').map((j) => {
    const info = j.info!;
    return [info.kind, 'name' in info ? info.name : undefined, info.kind === 'screen' ? String(info.sharing) : undefined].filter(Boolean).join(' ');
  }).filter((i) => i !== 'active');

const track = (session: { localStream?: MediaStream }, kind: 'audio' | 'video') =>
  (kind === 'audio' ? session.localStream!.getAudioTracks() : session.localStream!.getVideoTracks())[0] as unknown as FakeTrack | undefined;

describe('the camera off and on in a video call', () => {
  it('off: nothing is sent on the video m-line, the camera stops, and the peer is told <mute name=…/> of the video content', async () => {
    const session = await lab.outgoing('video');
    const camera = track(session, 'video')!;
    expect(session.controls).toMatchObject({ camera: true, canCamera: true, canShare: true });
    session.setCamera(false);
    await lab.flush();
    expect(lab.peer.renegotiations).toEqual(['set-sending 1 none']);
    expect(camera.readyState).toBe('ended');
    expect(session.localStream!.getVideoTracks()).toEqual([]);
    expect(infos()).toEqual(['mute 1']);
    expect(lab.signalling.jingles('session-info').at(-1)!.info).toEqual({ kind: 'mute', creator: 'initiator', name: '1' });
    expect(session.controls.camera).toBe(false);
    // No content-* and no new offer: the m-line stays.
    expect(lab.signalling.jingles().filter((j) => j.action.startsWith('content-'))).toEqual([]);
  });

  it('on again: a new camera track on the same m-line, and <unmute/>', async () => {
    const session = await lab.outgoing('video');
    session.setCamera(false);
    await lab.flush();
    session.setCamera(true);
    await lab.flush();
    expect(lab.peer.renegotiations).toEqual(['set-sending 1 none', 'set-sending 1 video']);
    expect(lab.cameras).toHaveLength(1);
    expect(track(session, 'video')!.readyState).toBe('live');
    expect(infos()).toEqual(['mute 1', 'unmute 1']);
    expect(session.controls.camera).toBe(true);
  });

  it('a camera that cannot be opened again: the call goes on without it, and the user reads why', async () => {
    const session = await lab.outgoing('video');
    session.setCamera(false);
    await lab.flush();
    lab.cameraFails = 'No camera was found. Connect one and try again.';
    session.setCamera(true);
    await lab.flush();
    expect(session.controls).toMatchObject({ camera: false, notice: 'No camera was found. Connect one and try again.' });
    expect(infos()).toEqual(['mute 1']);
    expect(session.phase).toBe('connected');
  });

  it('the peer’s <mute/> of its video content shows its camera off; of its audio, its microphone muted', async () => {
    const session = await lab.outgoing('video');
    const info = (kind: string, name?: string) => ({ action: 'session-info' as const, sid: session.sid, contents: [], groups: [], info: { kind, creator: 'initiator', ...(name ? { name } : {}) } as never });
    expect(reply(lab.fromPeer(info('mute', '1')))).toBe('result');
    await lab.flush();
    expect(session.peerActivity).toMatchObject({ cameraOff: true, muted: false });
    lab.fromPeer(info('mute', '0'));
    await lab.flush();
    expect(session.peerActivity).toMatchObject({ cameraOff: true, muted: true });
    lab.fromPeer(info('unmute', '1'));
    await lab.flush();
    expect(session.peerActivity).toMatchObject({ cameraOff: false, muted: true });
    // XEP-0167 §7.3: without a name, every content.
    lab.fromPeer(info('unmute'));
    await lab.flush();
    expect(session.peerActivity).toMatchObject({ cameraOff: false, muted: false });
  });
});

describe('sharing the screen', () => {
  it('in a video call: the screen replaces the camera on its m-line, and back to the camera after “Stop sharing”', async () => {
    const session = await lab.outgoing('video');
    session.shareScreen(true);
    await lab.flush();
    expect(lab.peer.renegotiations).toEqual(['set-sending 1 video']);
    expect(track(session, 'video')!.label).toBe('screen:0');
    expect(session.controls).toMatchObject({ sharing: true, camera: false });
    session.shareScreen(false);
    await lab.flush();
    expect(lab.peer.renegotiations).toEqual(['set-sending 1 video', 'set-sending 1 video']);
    expect(lab.screens[0]!.getTracks()[0]!.readyState).toBe('ended');
    expect(track(session, 'video')!.label).toBe('default camera');
    expect(session.controls).toMatchObject({ sharing: false, camera: true });
    // A peer that does not advertise Jingle Lab's screen notice is told nothing of it.
    expect(infos()).toEqual([]);
  });

  it('tells a peer that advertises it, and ends with the browser’s own “Stop sharing”', async () => {
    lab.peerFeatures = new Set([NS.screenShare]);
    const session = await lab.outgoing('video');
    session.setCamera(false);
    await lab.flush();
    session.shareScreen(true);
    await lab.flush();
    expect(infos()).toEqual(['mute 1', 'unmute 1', 'screen 1 true']);
    (track(session, 'video') as FakeTrack).end();
    await lab.flush();
    // The camera was off before: it stays off.
    expect(session.controls).toMatchObject({ sharing: false, camera: false });
    expect(infos()).toEqual(['mute 1', 'unmute 1', 'screen 1 true', 'mute 1', 'screen 1 false']);
    expect(lab.peer.renegotiations.at(-1)).toBe('set-sending 1 none');
  });

  it('the picker closed: nothing changes and nothing is said', async () => {
    const session = await lab.outgoing('video');
    lab.screenFails = 'Screen sharing was cancelled.';
    session.shareScreen(true);
    await lab.flush();
    expect(lab.peer.renegotiations).toEqual([]);
    expect(session.controls).toMatchObject({ sharing: false, camera: true });
    expect(session.controls.notice).toBeUndefined();
  });

  it('in an audio call: a content-add of video with the screen', async () => {
    const audio = new MidCallLab();
    const session = await audio.outgoing();
    session.shareScreen(true);
    await audio.flush();
    expect(audio.peer.renegotiations).toEqual(['offer-track']);
    expect(audio.signalling.jingles('content-add')[0]!.contents.map((c) => c.description?.media)).toEqual(['video']);
    expect(audio.screens).toHaveLength(1);
    expect(audio.cameras).toHaveLength(0);
  });

  it('our screen notice is read back as written', () => {
    const jingle = { action: 'session-info' as const, sid: 's', contents: [], groups: [], info: { kind: 'screen' as const, sharing: true, name: '1' } };
    const element = jingleElement(jingle);
    expect(element.getChild('screen', NS.screenShare)?.attrs).toMatchObject({ sharing: 'true', name: '1' });
    expect(readJingle(element).info).toEqual({ kind: 'screen', sharing: true, name: '1' });
  });
});

describe('switching devices mid-call', () => {
  it('a microphone: the new track on the audio m-line keeps the mute, the old one stops, the choice is remembered', async () => {
    const session = await lab.outgoing('video');
    const before = track(session, 'audio')!;
    session.setMuted(true);
    await session.useDevice('microphone', 'usb-1');
    expect(lab.peer.renegotiations).toEqual(['set-sending 0 audio']);
    expect(before.readyState).toBe('ended');
    expect(track(session, 'audio')).toMatchObject({ label: 'microphone usb-1', enabled: false });
    expect(lab.choice).toEqual({ microphone: 'usb-1' });
    expect(lab.signalling.jingles().filter((j) => j.action !== 'session-info' && j.action !== 'session-initiate')).toEqual([]);
  });

  it('a camera: swapped while it sends; only remembered while it is off', async () => {
    const session = await lab.outgoing('video');
    await session.useDevice('camera', 'front');
    expect(track(session, 'video')!.label).toBe('camera front');
    session.setCamera(false);
    await lab.flush();
    await session.useDevice('camera', 'back');
    expect(session.localStream!.getVideoTracks()).toEqual([]);
    session.setCamera(true);
    await lab.flush();
    expect(track(session, 'video')!.label).toBe('camera back');
    expect(lab.choice).toEqual({ camera: 'back' });
  });

  it('a headset unplugged: the default microphone takes over, and the user is told', async () => {
    const session = await lab.outgoing('video');
    await session.useDevice('microphone', 'headset');
    (track(session, 'audio') as FakeTrack).end();
    await lab.flush();
    expect(track(session, 'audio')!.label).toBe('default microphone');
    expect(session.controls.notice).toBe('microphone headset was disconnected: the default microphone is used now.');
  });

  it('a camera unplugged with none left: the video stops, the peer is told, the user reads why', async () => {
    const session = await lab.outgoing('video');
    lab.cameraFails = 'No camera was found. Connect one and try again.';
    (track(session, 'video') as FakeTrack).end();
    await lab.flush();
    expect(session.controls.camera).toBe(false);
    expect(infos()).toEqual(['mute 1']);
    expect(session.controls.notice).toBe('Your camera was disconnected and no other camera was found: Bob does not see you.');
  });
});

describe('what the peer says of its side', () => {
  it('reads mute, unmute and the screen notice by content', () => {
    const mediaOf = (name: string) => ({ a: 'audio', v: 'video' })[name];
    let activity = afterInfo(NOTHING_SAID, { kind: 'mute', name: 'v' }, mediaOf);
    expect(activity).toMatchObject({ cameraOff: true, muted: false });
    activity = afterInfo(activity, { kind: 'screen', sharing: true, name: 'v' }, mediaOf);
    expect(activity).toMatchObject({ cameraOff: false, sharing: true });
    activity = afterInfo(activity, { kind: 'mute', name: 'a' }, mediaOf);
    expect(describeActivity(activity, 'Bob')).toBe('Bob muted their microphone and is sharing their screen');
    // A name the call does not have changes nothing.
    expect(afterInfo(activity, { kind: 'unmute', name: 'x' }, mediaOf)).toEqual(activity);
  });

  it('answers a session-info of an unknown namespace with unsupported-info', async () => {
    const session = await lab.outgoing('video');
    const iq = xml('iq', { type: 'set', from: BOB, to: 'alice@localhost/desk', id: 'u1' },
      xml('jingle', { xmlns: NS.jingle, action: 'session-info', sid: session.sid }, xml('screen', { xmlns: 'urn:example:other' })));
    expect(reply(lab.fromPeer(iq))).toBe('feature-not-implemented+unsupported-info');
  });
});
