// The video codecs our offers carry, from Chromium 156's own capability list
// (RTCRtpReceiver.getCapabilities('video'), test/fixtures/chromium/video-capabilities.json).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type CodecCapability, offeredVideoCodecs } from '../src/media/codecs.ts';

const chromium = JSON.parse(readFileSync(new URL('./fixtures/chromium/video-capabilities.json', import.meta.url), 'utf8')) as CodecCapability[];
const named = (codecs: CodecCapability[]) => codecs.map((c) => `${c.mimeType} ${c.sdpFmtpLine ?? ''}`.trim());

describe('the video codecs an offer carries', () => {
  it('keeps VP8, VP9 profile 0, AV1 main, H.264 (constrained) baseline in mode 1, and rtx, red and ulpfec', () => {
    expect(named(offeredVideoCodecs(chromium))).toEqual([
      'video/VP8',
      'video/rtx',
      'video/VP9 profile-id=0',
      'video/H264 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f',
      'video/H264 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f',
      'video/AV1 level-idx=5;profile=0;tier=0',
      'video/red',
      'video/ulpfec',
    ]);
  });

  it('keeps the order the browser prefers', () => {
    const reversed = [...chromium].reverse();
    expect(named(offeredVideoCodecs(reversed))).toEqual(named(offeredVideoCodecs(chromium)).reverse());
  });

  it('a browser whose codecs it does not know keeps all of them', () => {
    const other = [{ mimeType: 'video/H265', clockRate: 90000 }, { mimeType: 'video/rtx', clockRate: 90000 }];
    expect(offeredVideoCodecs(other)).toEqual(other);
  });
});
