// A call's recording as a file: written by "Export", read back by "Import",
// from here or from anyone's Jingle Lab. What comes in is checked field by
// field; anything else is dropped, and a file that is not a report says so.
import { type CallRecording, RECORDING_FORMAT } from './recording.ts';

const MAX_BYTES = 20 * 1024 * 1024;
const MAX_STANZAS = 100_000;

export function exportFileName(recording: CallRecording): string {
  const who = (recording.peer.split('@')[0] ?? 'peer').replace(/[^\w.-]+/g, '_').slice(0, 40) || 'peer';
  const when = new Date(recording.startedAt).toISOString().replace(/[:.]/g, '-');
  return `jingle-lab-call-${who}-${when}.json`;
}

export const toJson = (recording: CallRecording): string => `${JSON.stringify(recording, null, 2)}\n`;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isString = (v: unknown): v is string => typeof v === 'string';

type Check = (v: unknown) => boolean;
const arrayOf = (check: Check) => (v: unknown) => Array.isArray(v) && v.every(check);
const shape = (fields: Record<string, Check>, optional: Record<string, Check> = {}) => (v: unknown) =>
  isObject(v) && Object.entries(fields).every(([k, c]) => c(v[k])) && Object.entries(optional).every(([k, c]) => v[k] === undefined || c(v[k]));

const client = shape({ name: isString }, { version: isString, os: isString, source: isString });
const FIELDS: Record<string, Check> = {
  sid: isString,
  self: isString,
  peer: isString,
  direction: (v) => v === 'outgoing' || v === 'incoming',
  media: (v) => v === 'audio' || v === 'video',
  startedAt: isNumber,
  stanzas: arrayOf(shape({ at: isNumber, direction: (v) => v === 'in' || v === 'out', xml: isString })),
  sdps: arrayOf(shape({ at: isNumber, side: (v) => v === 'local' || v === 'remote', type: isString, sdp: isString })),
  timeline: arrayOf(shape({ name: isString, at: isNumber })),
  samples: arrayOf(shape({ at: isNumber, tracks: arrayOf(shape({ track: isString }, { bitrate: isNumber })) })),
  clients: shape({ ours: client }, { peer: client }),
  features: shape({ ours: arrayOf(isString) }, { peer: arrayOf(isString) }),
};
const OPTIONAL: Record<string, Check> = {
  endedAt: isNumber,
  endReason: isString,
  selectedPair: shape({ local: isString, remote: isString, localType: isString, remoteType: isString }),
  candidates: shape({ local: arrayOf(isString), remote: arrayOf(isString) }),
  turnConfigured: (v) => typeof v === 'boolean',
  outcome: (v) => ['connected', 'failed', 'no-answer', 'declined', 'ongoing'].includes(v as string),
  iceState: isString,
};

/** A report read back, or what is wrong with the file, in words. Never throws. */
export function parseRecording(text: string): CallRecording | { error: string } {
  if (text.length > MAX_BYTES) return { error: `This file is ${Math.round(text.length / 2 ** 20)} MB: reports up to 20 MB can be opened.` };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return { error: `This file is not JSON: ${(err as Error).message}. Choose a file that Jingle Lab's “Export” wrote.` };
  }
  if (!isObject(data) || data.format !== RECORDING_FORMAT) {
    const said = isObject(data) && isString(data.format) ? `its format is “${data.format.slice(0, 60)}”` : 'it has no format field';
    return { error: `This is not a Jingle Lab call report (${said}; expected “${RECORDING_FORMAT}”).` };
  }
  if (Array.isArray(data.stanzas) && data.stanzas.length > MAX_STANZAS) return { error: `This report holds ${data.stanzas.length} stanzas: at most ${MAX_STANZAS} can be opened.` };
  const wrong = Object.entries(FIELDS).find(([k, check]) => !check(data[k]))?.[0] ?? Object.entries(OPTIONAL).find(([k, check]) => data[k] !== undefined && !check(data[k]))?.[0];
  if (wrong) return { error: `This report is damaged: its “${wrong}” is missing or not what Jingle Lab writes. Export the call again.` };
  const kept = Object.fromEntries(Object.keys({ ...FIELDS, ...OPTIONAL }).filter((k) => data[k] !== undefined).map((k) => [k, data[k]]));
  return { format: RECORDING_FORMAT, ...kept } as CallRecording;
}
