// XEP-0156: discovering the WebSocket endpoint of a domain through host-meta.

const WEBSOCKET_REL = 'urn:xmpp:alt-connections:websocket';

/** Reads the WebSocket link of a host-meta XRD or JSON document. */
export function websocketFromHostMeta(body: string): string | undefined {
  const trimmed = body.trim();
  if (trimmed.startsWith('{')) {
    try {
      const json = JSON.parse(trimmed) as { links?: { rel?: string; href?: string }[] };
      return json.links?.find((l) => l.rel === WEBSOCKET_REL && l.href)?.href;
    } catch {
      return undefined;
    }
  }
  const doc = new DOMParser().parseFromString(trimmed, 'application/xml');
  for (const link of Array.from(doc.getElementsByTagName('Link'))) {
    if (link.getAttribute('rel') === WEBSOCKET_REL && link.getAttribute('href')) return link.getAttribute('href')!;
  }
  return undefined;
}

/** The same-origin endpoint that the lab and most reverse proxies offer. */
export const sameOriginWebSocket = (location: Location): string =>
  `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/xmpp-websocket`;

/**
 * XEP-0156 §3: host-meta on the JID's domain (and on this page's origin when it
 * serves that domain), falling back to the same-origin `/xmpp-websocket`.
 */
export async function discoverWebSocket(domain: string, location: Location, timeoutMs = 3000): Promise<string> {
  const candidates = [`https://${domain}/.well-known/host-meta`];
  if (location.hostname === domain) candidates.unshift(`${location.origin}/.well-known/host-meta`);
  for (const url of candidates) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
      if (!response.ok) continue;
      const found = websocketFromHostMeta(await response.text());
      if (found) return found;
    } catch {
      // Unreachable or not allowed by CORS: try the next place.
    }
  }
  return sameOriginWebSocket(location);
}
