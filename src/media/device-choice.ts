// The microphone, camera and speaker the user chose, remembered in the
// browser, and the devices there are to choose from.

/** Device ids (MediaDeviceInfo.deviceId); a missing one means the system's default. */
export interface DeviceChoice {
  microphone?: string;
  camera?: string;
  speaker?: string;
}

export type DeviceKind = keyof DeviceChoice;

const KEY = 'jinglelab.devices';
const KINDS: Record<DeviceKind, MediaDeviceKind> = { microphone: 'audioinput', camera: 'videoinput', speaker: 'audiooutput' };

export function loadChoice(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): DeviceChoice {
  try {
    const saved = JSON.parse(storage?.getItem(KEY) ?? '{}') as Record<string, unknown>;
    const choice: DeviceChoice = {};
    for (const kind of Object.keys(KINDS) as DeviceKind[]) {
      const id = saved[kind];
      if (typeof id === 'string' && id && id.length < 200) choice[kind] = id;
    }
    return choice;
  } catch {
    return {};
  }
}

export function saveChoice(choice: DeviceChoice, storage: Pick<Storage, 'setItem'> | undefined = globalThis.localStorage): void {
  try {
    storage?.setItem(KEY, JSON.stringify(choice));
  } catch {
    // Private browsing may refuse storage: the choice holds for this page only.
  }
}

export interface DeviceOption {
  id: string;
  label: string;
}

export type DeviceLists = Record<DeviceKind, DeviceOption[]>;

/**
 * The devices of each kind. Labels are empty until the page may use a
 * device (the browser's rule); those get numbered names.
 */
export async function listDevices(): Promise<DeviceLists> {
  const lists: DeviceLists = { microphone: [], camera: [], speaker: [] };
  const all = (await navigator.mediaDevices?.enumerateDevices?.().catch(() => [])) ?? [];
  for (const kind of Object.keys(KINDS) as DeviceKind[]) {
    const devices = all.filter((d) => d.kind === KINDS[kind] && d.deviceId);
    lists[kind] = devices.map((d, i) => ({ id: d.deviceId, label: d.label || `${NAMES[kind]} ${i + 1}` }));
  }
  return lists;
}

const NAMES: Record<DeviceKind, string> = { microphone: 'Microphone', camera: 'Camera', speaker: 'Speaker' };

/** Whether this browser can choose where audio plays (HTMLMediaElement.setSinkId). */
export const canChooseSpeaker = (): boolean => typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;

/** Calls `listener` whenever a device is plugged in or out; returns how to stop. */
export function watchDevices(listener: () => void): () => void {
  const devices = navigator.mediaDevices;
  if (!devices?.addEventListener) return () => undefined;
  devices.addEventListener('devicechange', listener);
  return () => devices.removeEventListener('devicechange', listener);
}
