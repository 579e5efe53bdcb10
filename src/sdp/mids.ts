// Content names ⇄ SDP mids. A Jingle content name is any string; a mid is a
// token (RFC 8843 §5.1) and Chromium takes at most 16 characters of it
// (XEP-0176's own example names a content 'this-is-the-audio-content').

const MID = /^[A-Za-z0-9!#$%&'*+\-.^_`{|}~]{1,16}$/;

/** The mid for a content name: the name itself when it fits, else a short stable hash. */
export function midOf(name: string): string {
  if (MID.test(name)) return name;
  // FNV-1a: the same name always gives the same mid, on both translations.
  let hash = 0x811c9dc5;
  for (const ch of name) hash = Math.imul(hash ^ ch.codePointAt(0)!, 0x01000193) >>> 0;
  return `n${hash.toString(36)}`;
}

/** mid → content name, for reading back an SDP built from these contents. */
export const namesByMid = (names: Iterable<string>): ReadonlyMap<string, string> => new Map([...names].map((n) => [midOf(n), n]));
