// Real StanzaJS 12 traffic (test/vectors/stanza/), translated as Jingle Lab
// translates what it receives.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NS, parseXml, readJingle } from '../src/jingle/index.ts';
import { jingleToSdp, parseSdp, writeSdp } from '../src/sdp/index.ts';

const vector = (name: string) => {
  const text = readFileSync(new URL(`./vectors/stanza/${name}.xml`, import.meta.url), 'utf8').replace(/<!--[\s\S]*?-->/g, '').trim();
  return readJingle(parseXml(text).getChild('jingle', NS.jingle)!);
};

describe('StanzaJS 12’s audio+video session-accept', () => {
  const answer = vector('session-accept-video');
  const sdp = parseSdp(writeSdp(jingleToSdp(answer, { author: 'responder', type: 'answer', sessionId: '1', sessionVersion: 1 })));
  const video = sdp.media.find((m) => m.type === 'video')!;

  it('describes every ssrc of its RTX group, with the cname of the ssrc it repairs', () => {
    const grouped = String(video.ssrcGroups![0]!.ssrcs).split(' ').map(Number);
    expect(grouped).toHaveLength(2);
    const cnames = grouped.map((ssrc) => video.ssrcs!.find((l) => l.id === ssrc && l.attribute === 'cname')?.value);
    expect(cnames[0]).toBeTruthy();
    expect(cnames[1]).toBe(cnames[0]);
  });

  it('takes the msid from StanzaJS’s <stream/> element', () => {
    const [stream] = answer.contents.map((c) => c.description!.stream);
    expect(stream?.id).toMatch(/^[0-9a-f-]{36}$/);
    for (const m of sdp.media) expect(m.msid?.[0]?.id).toBe(stream!.id);
    // Audio and video in one stream, each its own track.
    expect(new Set(sdp.media.map((m) => m.msid?.[0]?.appdata)).size).toBe(2);
  });
});

describe('StanzaJS 12’s audio+video session-initiate', () => {
  it('reads as two contents with their own msid and complete source groups', () => {
    const offer = vector('session-initiate-video');
    const sdp = parseSdp(writeSdp(jingleToSdp(offer, { author: 'initiator', type: 'offer', sessionId: '1', sessionVersion: 1 })));
    expect(sdp.media.map((m) => m.type)).toEqual(['audio', 'video']);
    for (const m of sdp.media) {
      const described = new Set((m.ssrcs ?? []).map((l) => Number(l.id)));
      for (const g of m.ssrcGroups ?? []) for (const ssrc of String(g.ssrcs).split(' ')) expect(described.has(Number(ssrc))).toBe(true);
    }
  });
});
