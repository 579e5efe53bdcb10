// XEP-0215 External Service Discovery: the STUN and TURN servers the user's
// server offers, with credentials, turned into what RTCPeerConnection takes.
// Asked after login and again before each call, since TURN credentials expire.
import { type Element, IqError, xml } from './connection.ts';
import { parseJid } from './jid.ts';

export const NS_EXTDISCO_2 = 'urn:xmpp:extdisco:2';
export const NS_EXTDISCO_1 = 'urn:xmpp:extdisco:1';

/** One <service/> as the server described it. */
export interface ExternalService {
  type: string;
  host: string;
  port?: number;
  transport?: string;
  username?: string;
  password?: string;
  /** Milliseconds since the epoch after which the credentials are void. */
  expires?: number;
  restricted: boolean;
}

/** What a call's peer connection gets, and what was left out and why. */
export interface IceChoice {
  iceServers: RTCIceServer[];
  /** How many of the servers are TURN relays. */
  relays: number;
  skipped: { service: string; why: string }[];
  /** Where the list came from: a namespace, or 'none' when the server offers none. */
  source: typeof NS_EXTDISCO_2 | typeof NS_EXTDISCO_1 | 'none';
  /** When the earliest credentials in the list expire (ms since the epoch). */
  expires?: number;
  /** The server did not answer in time, and nothing earlier is still valid. */
  unanswered?: boolean;
}

export const NO_SERVICES: IceChoice = { iceServers: [], relays: 0, skipped: [], source: 'none' };

const describe = (s: Pick<ExternalService, 'type' | 'host' | 'port' | 'transport'>) =>
  `${s.type} ${s.host}${s.port ? `:${s.port}` : ''}${s.transport ? `/${s.transport}` : ''}`;

/**
 * Reads the <service/> children of a <services/> or <credentials/> element
 * (either namespace). Entries without a type or host, or with a port or
 * expiry that does not parse, are left out and counted.
 */
export function parseServices(parent: Element): { services: ExternalService[]; malformed: number } {
  const services: ExternalService[] = [];
  let malformed = 0;
  for (const el of parent.getChildren('service')) {
    const { type, host } = el.attrs;
    const port = el.attrs.port === undefined ? undefined : Number(el.attrs.port);
    const expires = el.attrs.expires === undefined ? undefined : Date.parse(el.attrs.expires);
    const badPort = port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536);
    if (!type || !host || badPort || (expires !== undefined && Number.isNaN(expires))) {
      malformed++;
      continue;
    }
    services.push({
      type: type.toLowerCase(),
      host,
      ...(port !== undefined ? { port } : {}),
      ...(el.attrs.transport ? { transport: el.attrs.transport.toLowerCase() } : {}),
      ...(el.attrs.username ? { username: el.attrs.username } : {}),
      ...(el.attrs.password ? { password: el.attrs.password } : {}),
      ...(expires !== undefined ? { expires } : {}),
      restricted: el.attrs.restricted === '1' || el.attrs.restricted === 'true',
    });
  }
  return { services, malformed };
}

/** An IPv6 literal goes in brackets in a STUN/TURN URI (RFC 7064, RFC 7065). */
const uriHost = (host: string) => (host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);

/**
 * The services a browser can use, as RTCIceServers: STUN over UDP, TURN over
 * UDP or TCP, TURN over TLS (turns, TCP). Left out, as Conversations does:
 * STUN over TCP, turns over UDP (DTLS), TURN without credentials, expired
 * credentials, and whatever is not STUN or TURN.
 */
export function chooseIceServers(services: readonly ExternalService[], now: number, source: IceChoice['source']): IceChoice {
  const iceServers: RTCIceServer[] = [];
  const skipped: IceChoice['skipped'] = [];
  const seen = new Set<string>();
  let relays = 0;
  let expires: number | undefined;
  for (const s of services) {
    const skip = (why: string) => skipped.push({ service: describe(s), why });
    const transport = s.transport ?? (s.type === 'turns' ? 'tcp' : 'udp');
    if (!['stun', 'turn', 'turns'].includes(s.type)) {
      skip('not a STUN or TURN service');
      continue;
    }
    if (transport !== 'udp' && transport !== 'tcp') {
      skip(`unknown transport ${transport}`);
      continue;
    }
    if (s.type === 'stun' && transport === 'tcp') {
      skip('browsers ask STUN over UDP only');
      continue;
    }
    if (s.type === 'turns' && transport === 'udp') {
      skip('browsers cannot use TURN over DTLS');
      continue;
    }
    if (s.expires !== undefined && s.expires <= now) {
      skip('its credentials have expired');
      continue;
    }
    if (s.type !== 'stun' && (!s.username || !s.password)) {
      skip('TURN without credentials');
      continue;
    }
    const port = s.port ?? (s.type === 'turns' ? 5349 : 3478);
    const url = s.type === 'stun' ? `stun:${uriHost(s.host)}:${port}` : `${s.type}:${uriHost(s.host)}:${port}?transport=${transport}`;
    const key = `${url} ${s.username ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (s.type === 'stun') {
      iceServers.push({ urls: url });
    } else {
      iceServers.push({ urls: url, username: s.username!, credential: s.password! });
      relays++;
      if (s.expires !== undefined) expires = Math.min(expires ?? Infinity, s.expires);
    }
  }
  return { iceServers, relays, skipped, source, ...(expires !== undefined ? { expires } : {}) };
}

/** What the module needs of the connection. */
export interface ServiceRequester {
  readonly jid: string;
  request(iq: Element, timeoutMs?: number): Promise<Element>;
}

/** How long the server has to answer; a call does not wait longer for its relays. */
export const SERVICES_TIMEOUT_MS = 3000;
/** A list younger than this is taken as it is (it was asked for when the call rang). */
const FRESH_MS = 30_000;
/** Credentials that expire sooner than this are asked for anew. */
const EXPIRY_MARGIN_MS = 60_000;

export interface ExternalServices {
  /** Asks the server now (one request at a time); on failure, keeps what is known and unexpired. */
  refresh(): Promise<IceChoice>;
  /** The list for a call about to start: the last one if fresh, else asked anew. */
  forCall(): Promise<IceChoice>;
  /** The last list, if any. */
  readonly current: IceChoice | undefined;
}

export function createExternalServices(conn: ServiceRequester, options: { now?: () => number; timeoutMs?: number } = {}): ExternalServices {
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? SERVICES_TIMEOUT_MS;
  let current: IceChoice | undefined;
  let fetchedAt = 0;
  let inFlight: Promise<IceChoice> | undefined;
  const domain = () => parseJid(conn.jid)?.domain ?? '';

  async function ask(ns: IceChoice['source']): Promise<ExternalService[]> {
    const result = await conn.request(xml('iq', { type: 'get', to: domain() }, xml('services', { xmlns: ns })), timeoutMs);
    const services = result.getChild('services', ns);
    return services ? parseServices(services).services : [];
  }

  /** XEP-0215 §3.3: a restricted service listed without credentials is asked for them. */
  async function withCredentials(ns: IceChoice['source'], services: ExternalService[]): Promise<ExternalService[]> {
    return Promise.all(
      services.map(async (s) => {
        if (!s.restricted || (s.username && s.password)) return s;
        const attrs = { host: s.host, type: s.type, ...(s.port ? { port: String(s.port) } : {}), ...(s.transport ? { transport: s.transport } : {}) };
        try {
          const result = await conn.request(xml('iq', { type: 'get', to: domain() }, xml('credentials', { xmlns: ns }, xml('service', attrs))), timeoutMs);
          const answered = parseServices(result.getChild('credentials', ns) ?? xml('credentials')).services[0];
          return answered ? { ...s, ...answered, restricted: true } : s;
        } catch {
          return s;
        }
      }),
    );
  }

  async function fetchChoice(): Promise<IceChoice> {
    for (const ns of [NS_EXTDISCO_2, NS_EXTDISCO_1] as const) {
      try {
        const services = await withCredentials(ns, await ask(ns));
        return chooseIceServers(services, now(), ns);
      } catch (err) {
        // No answer in time: the server is slow, not without the feature.
        if (err instanceof IqError && err.condition === 'remote-server-timeout') throw err;
      }
    }
    return NO_SERVICES;
  }

  const services: ExternalServices = {
    refresh() {
      inFlight ??= fetchChoice()
        .then(
          (choice) => {
            current = choice;
            fetchedAt = now();
            return choice;
          },
          () => {
            // Keep what is known while it is valid; otherwise go without.
            if (current && (current.expires === undefined || current.expires > now())) return current;
            return { ...NO_SERVICES, unanswered: true };
          },
        )
        .finally(() => (inFlight = undefined));
      return inFlight;
    },
    forCall() {
      const fresh = current && now() - fetchedAt < FRESH_MS && (current.expires === undefined || current.expires - now() > EXPIRY_MARGIN_MS);
      return fresh ? Promise.resolve(current!) : services.refresh();
    },
    get current() {
      return current;
    },
  };
  return services;
}
