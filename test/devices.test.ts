// What a call opens when a device is missing, busy or blocked, and the
// device choice kept in the browser. getUserMedia answers as Chromium does
// (the error names of Media Capture and Streams §9.2).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadChoice, saveChoice } from '../src/media/device-choice.ts';
import { foreseeTracks, openLocalMedia } from '../src/media/devices.ts';
import { FakeStream } from './fakes.ts';

const fail = (name: string) => Object.assign(new Error(name), { name });

/** getUserMedia on a machine where `missing` devices fail with `error`. */
function machine(missing: { audio?: string; video?: string; chosen?: string }) {
  const asked: MediaStreamConstraints[] = [];
  vi.stubGlobal('MediaStream', class { getTracks = () => []; getAudioTracks = () => []; getVideoTracks = () => []; });
  vi.stubGlobal('navigator', {
    mediaDevices: {
      getUserMedia: async (constraints: MediaStreamConstraints) => {
        asked.push(constraints);
        const exact = (c: unknown) => (c as { deviceId?: { exact?: string } } | undefined)?.deviceId?.exact;
        if (missing.chosen && (exact(constraints.audio) === missing.chosen || exact(constraints.video) === missing.chosen)) throw fail('OverconstrainedError');
        if (constraints.video && missing.video) throw fail(missing.video);
        if (constraints.audio && missing.audio) throw fail(missing.audio);
        return new FakeStream(...(constraints.audio ? ['audio' as const] : []), ...(constraints.video ? ['video' as const] : [])).stream;
      },
    },
  });
  return asked;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('opening a call’s devices', () => {
  it('a video call without a camera goes on with the microphone, and says so', async () => {
    machine({ video: 'NotFoundError' });
    const opened = await openLocalMedia('video');
    expect(opened.stream.getAudioTracks()).toHaveLength(1);
    expect(opened.stream.getVideoTracks()).toHaveLength(0);
    expect(opened).toMatchObject({ noCamera: true, notice: 'No camera was found: the call goes on without your video.' });
  });

  it('a camera busy in another program, or blocked alone: the same, with the reason', async () => {
    machine({ video: 'NotReadableError' });
    expect((await openLocalMedia('video')).notice).toBe('Your camera is in use by another program: the call goes on without your video.');
    machine({ video: 'NotAllowedError' });
    expect((await openLocalMedia('video')).notice).toBe('Camera access is blocked: the call goes on without your video.');
  });

  it('a call we answer with the microphone blocked is received only, with how to allow it', async () => {
    machine({ audio: 'NotAllowedError', video: 'NotAllowedError' });
    const opened = await openLocalMedia('audio', { receiveOnly: true });
    expect(opened.stream.getTracks()).toEqual([]);
    expect(opened.noMicrophone).toBe(true);
    expect(opened.notice).toMatch(/^Microphone access is blocked, so you can listen but not be heard\. To allow it, click the icon at the left of the address bar/);
    const video = await openLocalMedia('video', { receiveOnly: true });
    expect(video).toMatchObject({ noMicrophone: true, noCamera: true });
  });

  it('a call we place with the microphone blocked fails with how to allow it', async () => {
    machine({ audio: 'NotAllowedError' });
    await expect(openLocalMedia('audio')).rejects.toThrow(/blocked\. To allow it/);
  });

  it('a chosen device that is gone gives way to the default one', async () => {
    const asked = machine({ chosen: 'usb-headset' });
    const opened = await openLocalMedia('audio', { choice: { microphone: 'usb-headset' } });
    expect(opened.stream.getAudioTracks()).toHaveLength(1);
    expect(opened.notice).toBeUndefined();
    expect(asked.map((c) => JSON.stringify(c.audio))).toEqual(['{"deviceId":{"exact":"usb-headset"}}', 'true']);
  });

  it('a chosen camera that is gone: the default camera, not an audio call', async () => {
    machine({ chosen: 'old-cam' });
    const opened = await openLocalMedia('video', { choice: { camera: 'old-cam' } });
    expect(opened.stream.getVideoTracks()).toHaveLength(1);
    expect(opened.noCamera).toBeUndefined();
  });
});

describe('the device choice', () => {
  it('is kept and read back; anything else in storage is ignored', () => {
    const store = new Map<string, string>();
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) };
    saveChoice({ microphone: 'm1', speaker: 's1' }, storage);
    expect(loadChoice(storage)).toEqual({ microphone: 'm1', speaker: 's1' });
    store.set('jinglelab.devices', '{"camera": 42, "microphone": "x", "evil": "y"}');
    expect(loadChoice(storage)).toEqual({ microphone: 'x' });
    store.set('jinglelab.devices', 'not json');
    expect(loadChoice(storage)).toEqual({});
  });
});

describe('foreseeing the tracks before the devices open', () => {
  /** A browser whose Permissions API gives `states` and which has `devices`. */
  function browser(states: Record<string, PermissionState>, devices: Partial<MediaDeviceInfo>[]) {
    vi.stubGlobal('navigator', {
      permissions: { query: async ({ name }: { name: string }) => ({ state: states[name] ?? 'prompt' }) },
      mediaDevices: { enumerateDevices: async () => devices },
    });
  }
  const mic = { kind: 'audioinput' as const, deviceId: 'mic-1' };
  const cam = { kind: 'videoinput' as const, deviceId: 'cam-1' };

  it('granted and present: the tracks are known', async () => {
    browser({ microphone: 'granted', camera: 'granted' }, [mic, cam]);
    expect(await foreseeTracks('video')).toEqual(['audio', 'video']);
    expect(await foreseeTracks('audio')).toEqual(['audio']);
  });

  it('a prompt to come, or a camera blocked: not known', async () => {
    browser({ microphone: 'granted', camera: 'prompt' }, [mic, cam]);
    expect(await foreseeTracks('video')).toBeUndefined();
    expect(await foreseeTracks('audio')).toEqual(['audio']);
    browser({ microphone: 'denied', camera: 'granted' }, [mic, cam]);
    expect(await foreseeTracks('audio')).toBeUndefined();
  });

  it('no camera, or the chosen one gone: not known', async () => {
    browser({ microphone: 'granted', camera: 'granted' }, [mic]);
    expect(await foreseeTracks('video')).toBeUndefined();
    browser({ microphone: 'granted', camera: 'granted' }, [mic, cam]);
    expect(await foreseeTracks('video', { camera: 'cam-2' })).toBeUndefined();
    expect(await foreseeTracks('video', { camera: 'cam-1', microphone: 'mic-1' })).toEqual(['audio', 'video']);
  });

  it('a browser that cannot say (Firefox has no camera permission to query): not known', async () => {
    vi.stubGlobal('navigator', {
      permissions: { query: async () => { throw new TypeError("'camera' is not a valid value for enumeration PermissionName."); } },
      mediaDevices: { enumerateDevices: async () => [mic, cam] },
    });
    expect(await foreseeTracks('video')).toBeUndefined();
  });
});
