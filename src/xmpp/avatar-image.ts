// Avatar image bytes, whichever XEP carried them: the checks every image passes
// before it is shown (type, size, the SHA-1 it was announced with) and the
// base64 both XEP-0084 and XEP-0054 wrap it in.

/** The image types we show; the bytes decide, not the announced type. */
export const AVATAR_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] as const;
export type AvatarType = (typeof AVATAR_TYPES)[number];

/** Larger images are refused: XEP-0153 §4.6 asks for 8 KB, clients send far more. */
export const MAX_AVATAR_BYTES = 256 * 1024;

export type RejectReason = 'too-large' | 'unsupported-type' | 'hash-mismatch' | 'malformed';

/** An image refused before it reached the cache, with why. */
export class AvatarRejected extends Error {
  constructor(
    readonly reason: RejectReason,
    message: string,
  ) {
    super(message);
    this.name = 'AvatarRejected';
  }
}

export const isAvatarType = (type: string): type is AvatarType => (AVATAR_TYPES as readonly string[]).includes(type);

/** XEP-0084 §4.2.1 and XEP-0153 §3.1: an avatar's hash is SHA-1 of its bytes, as hex (either case on the wire). */
export const isAvatarHash = (text: string): boolean => /^[0-9a-f]{40}$/i.test(text);

export async function sha1Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-1', bytes as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

const startsWith = (bytes: Uint8Array, at: number, signature: readonly number[]) => signature.every((b, i) => bytes[at + i] === b);
const ascii = (text: string) => Array.from(text, (c) => c.charCodeAt(0));

/** The type the bytes themselves say, by their magic numbers (XEP-0153 §5: TYPE is only a hint). */
export function sniffType(bytes: Uint8Array): AvatarType | undefined {
  if (startsWith(bytes, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(bytes, 0, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, 0, ascii('GIF87a')) || startsWith(bytes, 0, ascii('GIF89a'))) return 'image/gif';
  if (startsWith(bytes, 0, ascii('RIFF')) && startsWith(bytes, 8, ascii('WEBP'))) return 'image/webp';
  return undefined;
}

/** Longest base64 text (whitespace removed) that can hold MAX_AVATAR_BYTES. */
const MAX_BASE64 = Math.ceil(MAX_AVATAR_BYTES / 3) * 4;

/**
 * Decodes base64 as XEP-0084 §4.1 and XEP-0153 §4.6 allow it: whitespace and
 * line breaks anywhere are ignored. Refuses what cannot fit MAX_AVATAR_BYTES
 * before decoding it.
 */
export function decodeBase64(text: string): Uint8Array {
  const compact = text.replace(/\s+/g, '');
  if (compact.length > MAX_BASE64 + 4) throw new AvatarRejected('too-large', `image of about ${Math.floor((compact.length * 3) / 4)} bytes`);
  if (!compact || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1) throw new AvatarRejected('malformed', 'not base64');
  const binary = atob(compact.padEnd(Math.ceil(compact.length / 4) * 4, '='));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

export function encodeBase64(bytes: Uint8Array): string {
  let binary = '';
  // In slices: spreading 256 KB of arguments at once overflows the stack.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export interface AvatarImage {
  hash: string;
  type: AvatarType;
  /** A data: URL, ready for <img src>. */
  url: string;
}

export const dataUrl = (type: AvatarType, bytes: Uint8Array): string => `data:${type};base64,${encodeBase64(bytes)}`;

/** Whether a string is a data: URL we made (what the storage gives back is checked again). */
export const isAvatarUrl = (text: string): boolean => /^data:image\/(png|jpeg|webp|gif);base64,[A-Za-z0-9+/]+={0,2}$/.test(text);

/** Checks an image against the hash it was announced with; rejects with AvatarRejected. */
export async function checkImage(bytes: Uint8Array, hash: string): Promise<AvatarImage> {
  if (bytes.length > MAX_AVATAR_BYTES) throw new AvatarRejected('too-large', `image of ${bytes.length} bytes`);
  const type = sniffType(bytes);
  if (!type) throw new AvatarRejected('unsupported-type', 'not a PNG, JPEG, WebP or GIF image');
  const actual = await sha1Hex(bytes);
  if (actual !== hash.toLowerCase()) throw new AvatarRejected('hash-mismatch', `announced ${hash}, the image hashes to ${actual}`);
  return { hash: actual, type, url: dataUrl(type, bytes) };
}
