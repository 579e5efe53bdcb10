// Trickle ICE over Jingle (XEP-0176 §7; PROTOCOL.md, Trickle and ordering):
// our candidates go out as transport-info only once our session-initiate or
// session-accept has gone; the peer's wait until its description is set.
import type { Candidate, Content, Jingle } from '../jingle/index.ts';
import { candidateFromSdp, candidateToSdp, isSendable, midOf, namesByMid, parseCandidateLine, writeCandidateLine } from '../sdp/index.ts';

export class IceRelay {
  /** Content names in m-line order (the session-initiate's). */
  names: string[] = [];
  private credentials = new Map<string, { ufrag?: string; pwd?: string }>();
  /** Ours, until our description has gone; undefined after. */
  private outgoing: RTCIceCandidateInit[] | undefined = [];
  /** The peer's, until its description is set. */
  private incoming: { name: string; init: RTCIceCandidateInit }[] = [];
  /**
   * Contents of a content-add not yet answered (XEP-0166 §7.2): their
   * candidates wait both ways, since a peer that never takes the content
   * may fail on a transport-info for it (StanzaJS 12 throws).
   */
  private readonly pending = new Set<string>();
  private heldOut: { name: string; init: RTCIceCandidateInit }[] = [];
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

  /**
   * Our description has gone: send the candidates that waited, but for
   * those it carried already (`described`, its contents).
   */
  opened(described: readonly Content[] = []): void {
    const waiting = this.outgoing ?? [];
    this.outgoing = undefined;
    const carried = new Set(described.flatMap((c) => (c.transport?.candidates ?? []).map((candidate) => candidateKey(c.name, candidate))));
    for (const init of waiting) {
      const ours = this.resolve(init);
      if (ours && !carried.has(candidateKey(ours.name, ours.candidate))) this.sendCandidate(init);
    }
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
          name: content.name,
          init: {
            candidate: writeCandidateLine(candidateToSdp(candidate)),
            sdpMid: midOf(content.name),
            sdpMLineIndex: index,
            ...(content.transport?.ufrag ? { usernameFragment: content.transport.ufrag } : {}),
          },
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

  /** Contents a content-add brings: known by name, their candidates held until settle() or forget(). */
  expect(names: readonly string[]): void {
    for (const name of names) {
      if (!this.names.includes(name)) this.names.push(name);
      this.pending.add(name);
    }
  }

  /** The content-add was answered and both descriptions hold its contents: their candidates go. */
  settle(names: readonly string[]): void {
    for (const name of names) this.pending.delete(name);
    const out = this.heldOut.filter((c) => names.includes(c.name));
    this.heldOut = this.heldOut.filter((c) => !names.includes(c.name));
    for (const c of out) this.sendCandidate(c.init);
    this.flush();
  }

  /** The content-add was refused or withdrawn: its contents and their candidates are gone. */
  forget(names: readonly string[]): void {
    for (const name of names) this.pending.delete(name);
    this.heldOut = this.heldOut.filter((c) => !names.includes(c.name));
    this.incoming = this.incoming.filter((c) => !names.includes(c.name));
    this.names = this.names.filter((name) => !names.includes(name));
  }

  clear(): void {
    this.outgoing = this.outgoing && [];
    this.incoming = [];
    this.heldOut = [];
    this.pending.clear();
    this.deliver = undefined;
  }

  private flush(): void {
    const deliver = this.deliver;
    if (!deliver) return;
    const ready = this.incoming.filter((c) => !this.pending.has(c.name));
    this.incoming = this.incoming.filter((c) => this.pending.has(c.name));
    for (const c of ready) deliver(c.init);
  }

  /** One of our candidates as Jingle, with its content's name; undefined for one that never leaves. */
  private resolve(init: RTCIceCandidateInit): { name: string; candidate: Candidate } | undefined {
    const parsed = init.candidate ? parseCandidateLine(init.candidate) : undefined;
    if (!parsed) return undefined;
    const candidate = candidateFromSdp(parsed);
    if (!isSendable(candidate)) return undefined;
    const name = init.sdpMid ? (namesByMid(this.names).get(init.sdpMid) ?? init.sdpMid) : this.names[init.sdpMLineIndex ?? -1];
    return name && this.names.includes(name) ? { name, candidate } : undefined;
  }

  private sendCandidate(init: RTCIceCandidateInit): void {
    const ours = this.resolve(init);
    if (!ours) return;
    const { name, candidate } = ours;
    if (this.pending.has(name)) {
      this.heldOut.push({ name, init });
      return;
    }
    const credentials = this.credentials.get(name) ?? {};
    this.send({ creator: 'initiator', name, transport: { ...credentials, fingerprints: [], candidates: [candidate] } });
  }
}

/** The same candidate of the same content, however it was written. */
const candidateKey = (name: string, c: Candidate): string => `${name} ${c.component} ${c.protocol.toLowerCase()} ${c.ip} ${c.port}`;
