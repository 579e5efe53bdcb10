// JIDs (RFC 7622) through @xmpp/jid: the one module that imports it.
import { parse } from '@xmpp/jid';

export interface Address {
  local: string;
  domain: string;
  resource: string;
  bare: string;
  full: string;
}

/** Parses a JID, or returns undefined when it is not a usable address. */
export function parseJid(text: string): Address | undefined {
  const trimmed = text.trim();
  if (!trimmed || /\s/.test(trimmed) || trimmed.length > 3071) return undefined;
  try {
    const jid = parse(trimmed);
    const domain = jid.getDomain();
    if (!domain || domain.startsWith('.') || domain.endsWith('.') || /[@/]/.test(domain)) return undefined;
    const bare = jid.bare().toString();
    return { local: jid.getLocal(), domain, resource: jid.getResource(), bare, full: jid.toString() };
  } catch {
    return undefined;
  }
}

/** Parses an account address: local@domain, an optional resource ignored. */
export function parseAccountJid(text: string): Address | undefined {
  const address = parseJid(text);
  return address && address.local && !text.trim().startsWith('@') ? address : undefined;
}

export const bareJid = (full: string): string => parseJid(full)?.bare ?? full;
export const resourceOf = (full: string): string => parseJid(full)?.resource ?? '';
export const sameBare = (a: string, b: string): boolean => bareJid(a) === bareJid(b);
export const sameJid = (a: string, b: string): boolean => parseJid(a)?.full === parseJid(b)?.full;
