// The summary of calls Jingle Lab recorded against the interop suite's peer
// (StanzaJS, as it is and reshaped as Conversations and Dino send), saved by
// `JINGLE_LAB_SAVE_RECORDINGS=<folder> npm run test:interop` into test/vectors/recordings/.
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { maskRecording } from '../src/inspector/mask';
import type { CallRecording } from '../src/inspector/recording';
import { summarise } from '../src/inspector/summary';

const FOLDER = 'test/vectors/recordings';
const recordings = readdirSync(FOLDER).map((file) => ({ file, recording: JSON.parse(readFileSync(`${FOLDER}/${file}`, 'utf8')) as CallRecording }));
const status = (file: string, feature: string) => summarise(recordings.find((r) => r.file === file)!.recording).features.find((f) => f.feature === feature)?.status;

describe('summaries of calls with the interop suite’s peer profiles', () => {
  it('has calls of every profile, both ways, answered and declined', () => {
    const names = recordings.map((r) => r.file);
    for (const profile of ['stanza', 'conversations', 'dino']) {
      expect(names.filter((n) => n.startsWith(`${profile}-`)).length).toBeGreaterThanOrEqual(5);
    }
  });

  for (const { file, recording } of recordings.filter((r) => r.recording.outcome === 'connected')) {
    it(`finds nothing wrong in an answered call, and every phase in order (${file})`, () => {
      const summary = summarise(recording);
      expect(summary.diagnoses).toEqual([]);
      const phases = summary.phases.map((p) => p.phase);
      expect(phases).toEqual(expect.arrayContaining(['session-initiate', 'session-accept', 'ICE connected', 'DTLS connected', 'first media in', 'first media out']));
      const times = summary.phases.map((p) => p.at);
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(summary.codecs.audio?.name).toBe('opus');
      if (recording.media === 'video') expect(summary.codecs.video?.name).toBe('VP8');
      else expect(summary.codecs.video).toBeUndefined();
      // RFC 5763 §5: the offerer says actpass, the answerer picks active.
      const [offerer, answerer] = recording.direction === 'outgoing' ? ['ours', 'peer'] as const : ['peer', 'ours'] as const;
      expect(summary.dtls[offerer]?.setup).toBe('actpass');
      expect(summary.dtls[answerer]?.setup).toBe('active');
      expect(summary.dtls.peer?.hash).toBe('sha-256');
      expect(summary.candidates.local.host + summary.candidates.remote.host).toBeGreaterThan(0);
      expect(summary.peerClient).toMatchObject({ name: 'stanzajs.org', source: 'xep-0092' });
    });
  }

  it('shows BUNDLE and XEP-0339 sources used with StanzaJS and Conversations, and not with Dino', () => {
    for (const profile of ['stanza', 'conversations']) {
      expect(status(`${profile}-jingle-lab-peer-audio-video-xep-0353-callee-hangs-up.json`, 'BUNDLE')).toBe('used');
      expect(status(`${profile}-jingle-lab-peer-audio-video-xep-0353-callee-hangs-up.json`, 'XEP-0339 sources')).toBe('used');
    }
    expect(status('dino-jingle-lab-peer-audio-video-xep-0353-callee-hangs-up.json', 'BUNDLE')).not.toBe('used');
    expect(status('dino-jingle-lab-peer-audio-video-xep-0353-callee-hangs-up.json', 'XEP-0339 sources')).toBe('missing');
  });

  it('shows XEP-0353 used when the call was proposed, and missing when the peer’s device does not speak it', () => {
    expect(status('stanza-jingle-lab-peer-audio-video-xep-0353-callee-hangs-up.json', 'XEP-0353 ringing (Jingle Message Initiation)')).toBe('used');
    expect(status('stanza-jingle-lab-peer-audio-direct-caller-hangs-up.json', 'XEP-0353 ringing (Jingle Message Initiation)')).toBe('missing');
  });

  for (const { file, recording } of recordings.filter((r) => r.recording.outcome === 'declined')) {
    it(`reads a declined call as such: proposed, never described (${file})`, () => {
      const summary = summarise(recording);
      expect(summary.outcome).toBe('declined');
      expect(summary.phases[0]?.phase).toBe('propose');
      expect(summary.phases.map((p) => p.phase)).not.toContain('session-accept');
      expect(summary.codecs).toEqual({});
      expect(summary.diagnoses).toEqual([]);
    });
  }

  it('says the same of a call with its addresses hidden, but for the addresses', () => {
    for (const { recording } of recordings) {
      const plain = summarise(recording);
      const hidden = summarise(maskRecording(recording));
      expect(hidden.features).toEqual(plain.features);
      expect(hidden.phases).toEqual(plain.phases);
      expect(hidden.codecs).toEqual(plain.codecs);
      expect(JSON.stringify(maskRecording(recording))).not.toMatch(/127\.0\.0\.1/);
    }
  });
});
