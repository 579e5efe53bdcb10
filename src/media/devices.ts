// Camera, microphone and screen: opened with the user's chosen devices, and
// what a call can still do when one is missing or blocked.
import type { DeviceChoice } from './device-choice.ts';

export type CallMedia = 'audio' | 'video';

/** Why the devices could not be opened, in words that say what to do. */
export class DeviceError extends Error {
  override name = 'DeviceError';
  constructor(
    message: string,
    /** getUserMedia's error name: NotAllowedError, NotFoundError, … */
    readonly kind?: string,
  ) {
    super(message);
  }
}

/** What a call opened, and what it could not. */
export interface OpenedMedia {
  stream: MediaStream;
  /** The camera was asked for and is not there: the call goes on with audio. */
  noCamera?: boolean;
  /** No microphone: the call is received only. */
  noMicrophone?: boolean;
  /** What the user should know of it, in words that say what to do. */
  notice?: string;
}

export interface OpenOptions {
  /** A call that can go on without our microphone (we answer it): received only. */
  receiveOnly?: boolean;
  /** The devices the user chose (device-choice.ts); the default ones otherwise. */
  choice?: DeviceChoice;
}

/** How to allow a blocked device, in Chromium and Firefox alike. */
export const HOW_TO_ALLOW = 'To allow it, click the icon at the left of the address bar, allow the microphone and camera for this site, and call again.';

const deviceConstraint = (deviceId: string | undefined): MediaTrackConstraints | true => (deviceId ? { deviceId: { exact: deviceId } } : true);

/**
 * The devices of a call. A video call without a camera goes on as audio; an
 * answered call without a microphone (none, or blocked) goes on received
 * only; each says so in `notice`. Anything else fails with a DeviceError.
 */
export async function openLocalMedia(media: CallMedia, options: OpenOptions = {}): Promise<OpenedMedia> {
  const { choice } = options;
  if (choice?.microphone || choice?.camera) {
    // Chromium does not honour an `ideal` microphone; a chosen device unplugged since gives way to the default.
    try {
      return await openCallDevices(media, options);
    } catch (err) {
      if (!(err instanceof DeviceError) || err.kind !== 'NotFoundError') throw err;
    }
  }
  return openCallDevices(media, { ...options, choice: {} });
}

async function openCallDevices(media: CallMedia, options: OpenOptions): Promise<OpenedMedia> {
  const audio = deviceConstraint(options.choice?.microphone);
  if (media === 'video') {
    try {
      return { stream: await open({ audio, video: deviceConstraint(options.choice?.camera) }) };
    } catch (err) {
      if (!(err instanceof DeviceError) || err.kind === 'SecurityError') throw err;
      // A chosen device that is gone: tried again with the default ones first.
      if (err.kind === 'NotFoundError' && (options.choice?.camera || options.choice?.microphone)) throw err;
      // Camera missing, busy or blocked on its own: the microphone may still be there.
      const opened = await openCallDevices('audio', options);
      const why = err.kind === 'NotAllowedError' ? 'Camera access is blocked' : err.kind === 'NotReadableError' ? 'Your camera is in use by another program' : 'No camera was found';
      return { ...opened, noCamera: true, notice: joined(opened.notice, `${why}: the call goes on without your video.`) };
    }
  }
  try {
    return { stream: await open({ audio, video: false }) };
  } catch (err) {
    if (err instanceof DeviceError && err.kind === 'NotFoundError' && options.choice?.microphone) throw err;
    if (!options.receiveOnly || !(err instanceof DeviceError) || !['NotAllowedError', 'NotFoundError', 'NotReadableError'].includes(err.kind ?? '')) throw err;
    const why = err.kind === 'NotAllowedError'
      ? `Microphone access is blocked, so you can listen but not be heard. ${HOW_TO_ALLOW}`
      : err.kind === 'NotFoundError'
        ? 'No microphone was found, so you can listen but not be heard. Connect one and call again.'
        : 'Your microphone is in use by another program, so you can listen but not be heard. Close it and call again.';
    return { stream: new MediaStream(), noMicrophone: true, notice: why };
  }
}

const joined = (a: string | undefined, b: string) => (a ? `${a} ${b}` : b);

/** The camera alone, for video added to a call under way (XEP-0166 content-add), or a switch of cameras. */
export async function openCamera(deviceId?: string): Promise<MediaStream> {
  return open({ audio: false, video: deviceId ? { deviceId: { exact: deviceId } } : true }, 'No camera was found. Connect one and try again.');
}

/** A microphone alone, for a switch of microphones mid-call; the default one without `deviceId`. */
export async function openMicrophone(deviceId?: string): Promise<MediaStream> {
  return open({ audio: deviceId ? { deviceId: { exact: deviceId } } : true, video: false }, 'That microphone is no longer connected.');
}

/** A screen, window or tab the user picks (getDisplayMedia). */
export async function openScreen(): Promise<MediaStream> {
  if (!navigator.mediaDevices?.getDisplayMedia) throw new DeviceError('This browser cannot share a screen.');
  try {
    return await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
  } catch (err) {
    const name = (err as Error).name;
    // The user closed the browser's picker: nothing to say.
    if (name === 'NotAllowedError' || name === 'AbortError') throw new DeviceError('Screen sharing was cancelled.', name);
    throw new DeviceError(`Your screen could not be shared: ${(err as Error).message}`, name);
  }
}

async function open(constraints: MediaStreamConstraints, notFound?: string): Promise<MediaStream> {
  if (!navigator.mediaDevices?.getUserMedia) {
    throw new DeviceError('This page cannot use a camera or microphone: open it over https:// or from localhost.', 'SecurityError');
  }
  try {
    return await navigator.mediaDevices.getUserMedia(constraints);
  } catch (err) {
    const name = (err as Error).name;
    if (name === 'NotAllowedError') throw new DeviceError(`Camera or microphone access is blocked. ${HOW_TO_ALLOW}`, name);
    if (name === 'NotFoundError' || name === 'OverconstrainedError') {
      throw new DeviceError(notFound ?? (constraints.video ? 'No camera or microphone was found. Connect one, or place an audio call.' : 'No microphone was found. Connect one and try again.'), 'NotFoundError');
    }
    if (name === 'NotReadableError') throw new DeviceError('The camera or microphone is in use by another program. Close it and try again.', name);
    throw new DeviceError(`Could not open the camera or microphone: ${(err as Error).message}`, name);
  }
}

/** The user closed the browser's screen picker: nothing to say. */
export const pickerClosed = (err: unknown): boolean => err instanceof DeviceError && err.kind === 'NotAllowedError';

export function stopStream(stream: MediaStream | undefined): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}

/**
 * The kinds of track openLocalMedia(media) will give, when that is known
 * before they open: the site may use them (the Permissions API says
 * granted) and devices of each kind are there, the chosen ones among them.
 * Undefined when it is not known (a prompt to come, a browser that cannot
 * tell): the devices must then open first.
 */
export async function foreseeTracks(media: CallMedia, choice: DeviceChoice = {}): Promise<CallMedia[] | undefined> {
  const kinds: CallMedia[] = media === 'video' ? ['audio', 'video'] : ['audio'];
  try {
    const states = await Promise.all(kinds.map((kind) => navigator.permissions.query({ name: (kind === 'audio' ? 'microphone' : 'camera') as PermissionName })));
    if (states.some((s) => s.state !== 'granted')) return undefined;
    const devices = await navigator.mediaDevices.enumerateDevices();
    for (const kind of kinds) {
      const present = devices.filter((d) => d.kind === `${kind}input` && d.deviceId);
      const chosen = kind === 'audio' ? choice.microphone : choice.camera;
      if (present.length === 0 || (chosen && !present.some((d) => d.deviceId === chosen))) return undefined;
    }
    return kinds;
  } catch {
    return undefined;
  }
}
