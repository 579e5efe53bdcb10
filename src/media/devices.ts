// Camera and microphone.

export type CallMedia = 'audio' | 'video';

/** Why the devices could not be opened, in words that say what to do. */
export class DeviceError extends Error {
  override name = 'DeviceError';
}

export async function openLocalMedia(media: CallMedia): Promise<MediaStream> {
  if (!navigator.mediaDevices?.getUserMedia) {
    throw new DeviceError('This page cannot use a camera or microphone: open it over https:// or from localhost.');
  }
  try {
    return await navigator.mediaDevices.getUserMedia({ audio: true, video: media === 'video' });
  } catch (err) {
    const name = (err as Error).name;
    if (name === 'NotAllowedError') throw new DeviceError('Camera or microphone access was denied. Allow it in the browser’s site settings and try again.');
    if (name === 'NotFoundError') throw new DeviceError(media === 'video' ? 'No camera or microphone was found. Connect one, or place an audio call.' : 'No microphone was found. Connect one and try again.');
    if (name === 'NotReadableError') throw new DeviceError('The camera or microphone is in use by another program. Close it and try again.');
    throw new DeviceError(`Could not open the camera or microphone: ${(err as Error).message}`);
  }
}

export function stopStream(stream: MediaStream | undefined): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}
