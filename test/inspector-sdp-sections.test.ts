import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contentSectionIndex, sdpSections } from '../src/inspector/sdp-sections';

describe('SDP cut into sections', () => {
  const offer = readFileSync('test/fixtures/chromium/audio-video-offer.sdp', 'utf8');

  it('splits Chromium’s offer into the session part and one section per m-line, with its mid', () => {
    const sections = sdpSections(offer);
    expect(sections.session[0]).toBe('v=0');
    expect(sections.media.map((m) => [m.media, m.mid])).toEqual([['audio', '0'], ['video', '1']]);
    expect(sections.media[1]!.lines[0]).toMatch(/^m=video /);
  });

  it('finds a content’s m-section by mid, else by place', () => {
    const sections = sdpSections(offer);
    expect(contentSectionIndex(sections, '1', 0)).toBe(1);
    expect(contentSectionIndex(sections, 'voice', 0)).toBe(0);
    expect(contentSectionIndex(sections, 'webcam', 5)).toBeUndefined();
  });

  it('reads a candidate fragment as one section of its mid', () => {
    const sections = sdpSections('a=mid:1\r\na=candidate:1 1 udp 1 127.0.0.1 5000 typ host');
    expect(sections.session).toEqual([]);
    expect(sections.media).toEqual([{ mid: '1', media: '', lines: ['a=mid:1', 'a=candidate:1 1 udp 1 127.0.0.1 5000 typ host'] }]);
  });
});
