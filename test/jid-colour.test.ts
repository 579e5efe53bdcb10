import { describe, expect, it } from 'vitest';
import { hsluvToRgb, hueAngle, initials, jidColour } from '../src/ui/jid-colour.ts';

// XEP-0392 §9 (Test Vectors), as of 0.8.0 and unchanged since: text, its UTF-8
// as hex, the hue angle, and the RGB at saturation 100 and lightness 50.
const VECTORS = `
'Romeo','526f6d656f',327.255249,327.255249,0.865,0.000,0.686
'juliet@capulet.lit','6a756c69657440636170756c65742e6c6974',209.410400,209.410400,0.000,0.515,0.573
'😺','f09f98ba',331.199341,331.199341,0.872,0.000,0.659
'council','636f756e63696c',359.994507,359.994507,0.918,0.000,0.394
'Board','426f617264',171.430664,171.430664,0.000,0.527,0.457`
  .trim()
  .split('\n')
  .map((line) => {
    const [text, hextext, angle, , r, g, b] = line.split(',');
    return { text: text!.slice(1, -1), hextext: hextext!.slice(1, -1), angle: angle!, rgb: [r, g, b].join(',') };
  });

const hexOf = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

describe('XEP-0392 consistent colours', () => {
  it.each(VECTORS)('reads the vector for $text as the UTF-8 it names', ({ text, hextext }) => {
    expect(hexOf(new TextEncoder().encode(text))).toBe(hextext);
  });

  it.each(VECTORS)('gives $text the hue angle $angle', async ({ text, angle }) => {
    expect((await hueAngle(text)).toFixed(6)).toBe(angle);
  });

  it.each(VECTORS)('gives $text the RGB $rgb at saturation 100 and lightness 50', async ({ text, rgb }) => {
    expect(hsluvToRgb(await hueAngle(text), 100, 50).map((c) => c.toFixed(3)).join(',')).toBe(rgb);
  });

  it('gives a CSS hex colour', async () => {
    // 0.865, 0.000, 0.686 of 255.
    expect(await jidColour('Romeo')).toBe('#dd00af');
  });

  it('gives the same colour to the same JID and another to another JID', async () => {
    expect(await jidColour('bob@localhost')).toBe(await jidColour('bob@localhost'));
    expect(await jidColour('bob@localhost')).not.toBe(await jidColour('carol@localhost'));
  });

  it('keeps saturation 0 grey, and lightness 0 and 100 black and white', () => {
    const [r, g, b] = hsluvToRgb(120, 0, 50);
    expect(Math.abs(r - g) + Math.abs(g - b)).toBeLessThan(1e-9);
    expect(hsluvToRgb(200, 100, 0).map((c) => c.toFixed(6))).toEqual(['0.000000', '0.000000', '0.000000']);
    expect(hsluvToRgb(200, 100, 100).map((c) => c.toFixed(6))).toEqual(['1.000000', '1.000000', '1.000000']);
  });
});

describe('initials for a placeholder avatar', () => {
  it.each([
    ['Alice Liddell', 'AL'],
    ['bob@localhost', 'B'],
    ['Mary Ann Evans', 'ME'],
    ['  alice  ', 'A'],
    ['émile zola', 'ÉZ'],
    // A decomposed é (e and a combining accent) stays one letter.
    ['e\u0301mile', 'E\u0301'],
    ['Ольга Петрова', 'ОП'],
    ['山田太郎', '山'],
    ['Jean-Luc Picard', 'JP'],
    ['"Bob" Smith', 'BS'],
    ['😺 cat', 'C'],
    ['ßa', 'ß'],
    ['', ''],
    ['😺', ''],
  ])('makes %j into %j', (name, expected) => {
    expect(initials(name)).toBe(expected);
  });
});
