// Avatars by hash, in memory and in the browser's storage, so that an image
// seen once is not fetched again, in this session or the next (XEP-0084 §3.4:
// a subscriber with a cached copy MUST NOT retrieve the data). Both are bounded:
// the oldest image goes first.
import { type AvatarImage, isAvatarUrl } from './avatar-image.ts';

export type AvatarStorage = Pick<Storage, 'getItem' | 'setItem'>;

/** How many images are kept, in memory and in storage each. */
export const AVATAR_CACHE_LIMIT = 200;

const ITEM_PREFIX = 'jingle-lab.avatar.';
/** Which hashes the storage holds, oldest first. */
const INDEX_KEY = 'jingle-lab.avatars';

export interface AvatarCache {
  /** The image's data: URL, or undefined when neither memory nor storage holds it. */
  get(hash: string): string | undefined;
  put(image: AvatarImage): void;
}

/** localStorage where there is one; reading it can throw (a sandboxed frame, a privacy mode). */
export function defaultAvatarStorage(): AvatarStorage | undefined {
  try {
    return globalThis.localStorage ?? undefined;
  } catch {
    return undefined;
  }
}

export function createAvatarCache(storage: AvatarStorage | undefined, limit = AVATAR_CACHE_LIMIT): AvatarCache {
  const memory = new Map<string, string>();

  const read = (key: string): string | null => {
    try {
      return storage?.getItem(key) ?? null;
    } catch {
      return null;
    }
  };
  /** Writes, or says it could not (quota, storage gone). */
  const write = (key: string, value: string): boolean => {
    try {
      storage?.setItem(key, value);
      return true;
    } catch {
      return false;
    }
  };

  function readIndex(): string[] {
    try {
      const parsed: unknown = JSON.parse(read(INDEX_KEY) ?? '[]');
      return Array.isArray(parsed) ? parsed.filter((h): h is string => typeof h === 'string') : [];
    } catch {
      return [];
    }
  }

  function remember(hash: string, url: string): void {
    memory.delete(hash);
    memory.set(hash, url);
    while (memory.size > limit) memory.delete(memory.keys().next().value!);
  }

  /**
   * Storage has no delete in the injected interface: a dropped image's entry
   * is overwritten with '' and left out of the index. A full storage drops
   * the oldest images until this one fits, or none is left.
   */
  function persist(hash: string, url: string): void {
    if (!storage) return;
    const index = readIndex().filter((h) => h !== hash);
    const drop = (h: string) => write(ITEM_PREFIX + h, '');
    while (index.length >= limit) drop(index.shift()!);
    let stored = write(ITEM_PREFIX + hash, url);
    while (!stored && index.length) {
      drop(index.shift()!);
      stored = write(ITEM_PREFIX + hash, url);
    }
    if (stored) index.push(hash);
    while (!write(INDEX_KEY, JSON.stringify(index)) && index.length > 1) drop(index.shift()!);
  }

  return {
    get(hash) {
      const held = memory.get(hash);
      if (held) {
        remember(hash, held);
        return held;
      }
      const stored = read(ITEM_PREFIX + hash);
      // Only what we wrote is taken back; anything else there is ignored.
      if (!stored || !isAvatarUrl(stored)) return undefined;
      remember(hash, stored);
      return stored;
    },
    put(image) {
      remember(image.hash, image.url);
      persist(image.hash, image.url);
    },
  };
}
