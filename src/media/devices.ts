// Camera and microphone.

export type CallMedia = 'audio' | 'video';

/** Why the devices could not be opened, in words that say what to do. */
export class DeviceError extends Error {
  override name = 'DeviceError';
}

export async function openLocalMedia(media: CallMedia): Promise<MediaStream> {
  return open({ audio: true, video: media === 'video' }, media === 'video' ? 'No camera or microphone was found. Connect one, or place an audio call.' : 'No microphone was found. Connect one and try again.');
}

/** The camera alone, for video added to a call under way (XEP-0166 content-add). */
export async function openCamera(): Promise<MediaStream> {
  return open({ audio: false, video: true }, 'No camera was found. Connect one and try again.');
}

async function open(constraints: MediaStreamConstraints, notFound: string): Promise<MediaStream> {
  if (!navigator.mediaDevices?.getUserMedia) {
    throw new DeviceError('This page cannot use a camera or microphone: open it over https:// or from localhost.');
  }
  try {
    return await navigator.mediaDevices.getUserMedia(constraints);
  } catch (err) {
    const name = (err as Error).name;
    if (name === 'NotAllowedError') throw new DeviceError('Camera or microphone access was denied. Allow it in the browser’s site settings and try again.');
    if (name === 'NotFoundError') throw new DeviceError(notFound);
    if (name === 'NotReadableError') throw new DeviceError('The camera or microphone is in use by another program. Close it and try again.');
    throw new DeviceError(`Could not open the camera or microphone: ${(err as Error).message}`);
  }
}

export function stopStream(stream: MediaStream | undefined): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}
