// XEP-0392 Consistent Color Generation 0.8.0: a contact's colour from its bare
// JID, the same in every client that follows it; and the initials drawn on it
// where the contact has no avatar (XEP-0392 §3.3 in its earlier versions).
import { Hsluv } from 'hsluv';

/** XEP-0392 §5.2 (RGB generation) leaves these to us; its test vectors use 100 and 50. */
export const SATURATION = 100;
export const LIGHTNESS = 50;

/**
 * XEP-0392 §5.1: SHA-1 of the UTF-8 text; its first two bytes as a
 * little-endian 16-bit number, scaled from 0–65536 to 0–360 degrees.
 * §6.2: a JID goes in prepared as for comparison, as parseJid() gives it.
 */
export async function hueAngle(text: string): Promise<number> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-1', new TextEncoder().encode(text)));
  return ((digest[0]! | (digest[1]! << 8)) / 65536) * 360;
}

/** HSLuv (hsluv.org, the reference implementation) to sRGB, each channel 0–1. */
export function hsluvToRgb(hue: number, saturation: number, lightness: number): readonly [number, number, number] {
  const colour = new Hsluv();
  colour.hsluv_h = hue;
  colour.hsluv_s = saturation;
  colour.hsluv_l = lightness;
  colour.hsluvToRgb();
  // Its arithmetic leaves channels a hair outside 0–1 (-1e-16); XEP-0392 §5.2 clips them.
  const clip = (c: number) => Math.min(1, Math.max(0, c));
  return [clip(colour.rgb_r), clip(colour.rgb_g), clip(colour.rgb_b)];
}

const hex = (rgb: readonly number[]) => `#${rgb.map((c) => Math.round(c * 255).toString(16).padStart(2, '0')).join('')}`;

/** The colour of a text (a bare JID, or a nickname where there is none) as CSS #rrggbb. */
export async function jidColour(text: string): Promise<string> {
  return hex(hsluvToRgb(await hueAngle(text), SATURATION, LIGHTNESS));
}

// Firefox before 125 has no Intl.Segmenter: there a letter and its combining marks will do.
const graphemes = typeof Intl.Segmenter === 'function' ? new Intl.Segmenter(undefined, { granularity: 'grapheme' }) : undefined;
const firstGrapheme = (text: string): string =>
  (graphemes ? graphemes.segment(text)[Symbol.iterator]().next().value?.segment : text.match(/^\P{M}\p{M}*/u)?.[0]) ?? '';
/** Upper case, unless that makes two letters of one ('ß' → 'SS'). */
const capital = (letter: string): string => {
  const upper = letter.toLocaleUpperCase();
  return firstGrapheme(upper) === upper ? upper : letter;
};

/**
 * One or two letters for a placeholder avatar: the first of the first and
 * last words of a name ('Alice Liddell' → 'AL'), of the local part of a bare
 * JID ('bob@localhost' → 'B'). A letter is a whole grapheme, so accents and
 * scripts without case come through whole; words that start with no letter
 * or digit are skipped. Empty when nothing in the name is a letter.
 */
export function initials(name: string): string {
  const trimmed = name.trim();
  const text = /\s/.test(trimmed) ? trimmed : trimmed.replace(/@.*$/, '') || trimmed;
  const words = text
    .split(/\s+/)
    .map((w) => w.replace(/^[^\p{L}\p{N}]+/u, ''))
    .filter(Boolean);
  const first = words[0];
  if (!first) return '';
  const picked = words.length > 1 ? [first, words.at(-1)!] : [first];
  return picked.map((w) => capital(firstGrapheme(w))).join('');
}
