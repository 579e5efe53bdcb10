// Trickle ICE over Jingle (XEP-0176 §7; PROTOCOL.md, Trickle and ordering):
// our candidates go out as transport-info only once our session-initiate or
// session-accept has gone; the peer's wait until its description is set.
import type { Content, Jingle } from '../jingle/index.ts';
import { candidateFromSdp, candidateToSdp, isSendable, midOf, namesByMid, parseCandidateLine, writeCandidateLine } from '../sdp/index.ts';

export class IceRelay {
  /** Content names in m-line order (the session-initiate's). */
  names: string[] = [];
  private credentials = new Map<string, { ufrag?: string; pwd?: string }>();
  /** Ours, until our description has gone; undefined after. */
  private outgoing: RTCIceCandidateInit[] | undefined = [];
  /** The peer's, until its description is set. */
  private incoming: RTCIceCandidateInit[] = [];
  private deliver?: (init: RTCIceCandidateInit) => void;
  /** How many candidates the peer sent in this session. */
  received = 0;

  /** `send` sends one content's transport in a transport-info. */
  constructor(private readonly send: (content: Content) => void) {}

  /** Whether our description has gone out. */
  get open(): boolean {
    return this.outgoing === undefined;
  }

  /** Remembers the ICE credentials of our description, repeated in each transport-info. */
  useCredentials(contents: readonly Content[]): void {
    for (const c of contents) this.credentials.set(c.name, { ufrag: c.transport?.ufrag, pwd: c.transport?.pwd });
  }

  /** One of our candidates: sent when open, else kept (trickle) or dropped (inline: it is in the description). */
  local(init: RTCIceCandidateInit, keep: boolean): void {
    if (this.outgoing === undefined) this.sendCandidate(init);
    else if (keep) this.outgoing.push(init);
  }

  /** Our description has gone: send the candidates that waited. */
  opened(): void {
    const waiting = this.outgoing ?? [];
    this.outgoing = undefined;
    for (const init of waiting) this.sendCandidate(init);
  }

  /** A transport-info of the peer. */
  remote(info: Jingle): void {
    this.received += info.contents.reduce((n, c) => n + (c.transport?.candidates.length ?? 0), 0);
    for (const content of info.contents) {
      const index = this.names.indexOf(content.name);
      for (const candidate of content.transport?.candidates ?? []) {
        // Dino sends component 2 even with rtcp-mux, which this peer requires.
        if (candidate.component !== 1 || candidate.protocol.toLowerCase() !== 'udp') continue;
        this.incoming.push({
          candidate: writeCandidateLine(candidateToSdp(candidate)),
          sdpMid: midOf(content.name),
          sdpMLineIndex: index,
          ...(content.transport?.ufrag ? { usernameFragment: content.transport.ufrag } : {}),
        });
      }
    }
    this.flush();
  }

  /** The peer's description is set: its candidates go to `deliver` from now on. */
  deliverTo(deliver: (init: RTCIceCandidateInit) => void): void {
    this.deliver = deliver;
    this.flush();
  }

  /** A new remote description is on its way (ICE restart): hold the peer's candidates until it is set. */
  pause(): void {
    this.deliver = undefined;
  }

  clear(): void {
    this.outgoing = this.outgoing && [];
    this.incoming = [];
    this.deliver = undefined;
  }

  private flush(): void {
    if (!this.deliver) return;
    for (const init of this.incoming.splice(0)) this.deliver(init);
  }

  private sendCandidate(init: RTCIceCandidateInit): void {
    if (!init.candidate) return;
    const parsed = parseCandidateLine(init.candidate);
    if (!parsed) return;
    const candidate = candidateFromSdp(parsed);
    if (!isSendable(candidate)) return;
    const name = init.sdpMid ? (namesByMid(this.names).get(init.sdpMid) ?? init.sdpMid) : this.names[init.sdpMLineIndex ?? -1];
    if (!name || !this.names.includes(name)) return;
    const credentials = this.credentials.get(name) ?? {};
    this.send({ creator: 'initiator', name, transport: { ...credentials, fingerprints: [], candidates: [candidate] } });
  }
}
