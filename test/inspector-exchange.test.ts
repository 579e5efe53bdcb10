import { describe, expect, it } from 'vitest';
import { exportFileName, parseRecording, toJson } from '../src/inspector/exchange';
import { RECORDING_FORMAT, type CallRecording } from '../src/inspector/recording';

const recording: CallRecording = {
  format: RECORDING_FORMAT, sid: 's1', self: 'alice@lab/tab', peer: 'bob/x@lab/phone', direction: 'outgoing', media: 'video', startedAt: Date.UTC(2026, 11, 3, 12, 0, 0),
  stanzas: [{ at: 0, direction: 'out', xml: '<iq/>' }], sdps: [{ at: 1, side: 'local', type: 'offer', sdp: 'v=0' }], timeline: [{ name: 'call-started', at: 0 }],
  samples: [{ at: 1000, tracks: [{ track: 'audio in', bitrate: 32000, packetsLost: 0 }] }], clients: { ours: { name: 'Jingle Lab', version: '0.1.0', source: 'self' } },
  features: { ours: ['urn:xmpp:jingle:1'] }, outcome: 'connected', endedAt: 5000,
};

describe('exporting and importing a call', () => {
  it('reads back what it wrote', () => {
    expect(parseRecording(toJson(recording))).toEqual(recording);
  });

  it('names the file after the peer and the time, safely', () => {
    expect(exportFileName(recording)).toBe('jingle-lab-call-bob_x-2026-12-03T12-00-00-000Z.json');
  });

  it('drops fields it does not know', () => {
    const read = parseRecording(JSON.stringify({ ...recording, summary: { big: true }, evil: '<script>' }));
    expect(read).not.toHaveProperty('evil');
    expect(read).not.toHaveProperty('summary');
  });

  it('says what is wrong with a file that is not a report, without throwing', () => {
    expect(parseRecording('{')).toMatchObject({ error: expect.stringMatching(/^This file is not JSON/) });
    expect(parseRecording('[]')).toMatchObject({ error: expect.stringContaining('not a Jingle Lab call report') });
    expect(parseRecording(JSON.stringify({ format: 'other/2' }))).toMatchObject({ error: expect.stringContaining('“other/2”') });
    expect(parseRecording(JSON.stringify({ ...recording, stanzas: [{ at: 'soon', direction: 'in', xml: '' }] }))).toMatchObject({ error: expect.stringContaining('“stanzas”') });
    expect(parseRecording(JSON.stringify({ ...recording, outcome: 'exploded' }))).toMatchObject({ error: expect.stringContaining('“outcome”') });
    expect(parseRecording('x'.repeat(21 * 1024 * 1024))).toMatchObject({ error: expect.stringContaining('up to 20 MB') });
  });
});
