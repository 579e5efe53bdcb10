// One real Chromium audio+video offer through Jingle and back, against the
// floor of sdp-transform parsing and writing the same SDP in the same run.
import { readFileSync } from 'node:fs';
import { bench, describe } from 'vitest';
import { jingleElement, parseXml, readJingle } from '../src/jingle/index.ts';
import { jingleToSdp, parseSdp, sdpToJingle, writeSdp } from '../src/sdp/index.ts';

const offer = readFileSync(new URL('../test/fixtures/chromium/audio-video-offer.sdp', import.meta.url), 'utf8');

describe('audio+video offer', () => {
  bench('baseline: sdp-transform parse + write', () => {
    writeSdp(parseSdp(offer));
  });

  bench('round trip: SDP → Jingle XML text → SDP', () => {
    const { contents, groups } = sdpToJingle(parseSdp(offer), { author: 'initiator' });
    const text = jingleElement({ action: 'session-initiate', sid: 's', contents, groups }).toString();
    const jingle = readJingle(parseXml(text));
    writeSdp(jingleToSdp(jingle, { author: 'initiator', type: 'offer', sessionId: '1', sessionVersion: 1 }));
  });
});
