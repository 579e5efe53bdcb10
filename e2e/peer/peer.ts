// The interop suite's peer: a StanzaJS 12 client in a page of its own, with
// XEP-0353 added (jmi.ts) and its wire reshaped by a profile (profiles.ts).
// Playwright drives it through `window.peer`; nothing of Jingle Lab runs here.
import './wire.ts';
import * as XMPP from 'stanza';
import type { Agent } from 'stanza';
import type { MediaSession } from 'stanza/jingle';
import { jmiMessage, NS_JMI, readJmi, receipt } from './jmi.ts';
import { profile, type Profile, type ProfileName } from './profiles.ts';
import { frames, useShaper } from './wire.ts';

type Media = 'audio' | 'video';
type Phase = 'proposing' | 'ringing-out' | 'incoming' | 'connecting' | 'connected' | 'ended';

interface Call {
  sid: string;
  /** The other party: bare while a proposal rings, full once a device proceeded. */
  peer: string;
  role: 'caller' | 'callee';
  via: 'jmi' | 'direct';
  media: Media;
  phase: Phase;
  session?: MediaSession;
  stream?: MediaStream;
  /** XEP-0353: this side accepted, the session-initiate is awaited. */
  accepted?: boolean;
  ended?: { reason: string; by: 'local' | 'remote' };
  /** Each step on the shared clock (ms since the epoch). */
  events: { name: string; at: number }[];
}

const now = () => performance.timeOrigin + performance.now();
let client: Agent | undefined;
let shape: Profile = profile('stanza');
let profileName: ProfileName = 'stanza';
let stanzaIds = 0;
const calls: Call[] = [];
const lastWhere = (test: (c: Call) => boolean): Call | undefined => [...calls].reverse().find(test);
const current = () => lastWhere((c) => c.phase !== 'ended');

function mark(call: Call, name: string, phase?: Phase): void {
  call.events.push({ name, at: now() });
  if (phase) call.phase = phase;
  document.getElementById('status')!.textContent = `${call.sid}: ${call.phase}`;
}

function end(call: Call, reason: string, by: 'local' | 'remote'): void {
  if (call.phase === 'ended') return;
  call.ended = { reason, by };
  mark(call, 'ended', 'ended');
  for (const track of call.stream?.getTracks() ?? []) track.stop();
}

const raw = (xml: string) => (client!.transport as unknown as { write(data: string): void }).write(xml);
const ownBare = () => client!.jid.split('/')[0]!;

async function devices(media: Media): Promise<MediaStream> {
  return navigator.mediaDevices.getUserMedia({ audio: true, video: media === 'video' });
}

function watch(call: Call, session: MediaSession): void {
  call.session = session;
  session.pc.addEventListener('iceconnectionstatechange', () => {
    const state = session.pc.iceConnectionState;
    // On loopback ICE may connect before accept() has even returned.
    if ((state === 'connected' || state === 'completed') && call.phase !== 'ended' && call.phase !== 'connected') mark(call, 'connected', 'connected');
  });
}

async function answer(call: Call, session: MediaSession): Promise<void> {
  watch(call, session);
  call.stream = await devices(call.media);
  for (const track of call.stream.getTracks()) await session.addTrack(track, call.stream);
  mark(call, 'accepting', 'connecting');
  await session.accept();
  mark(call, 'session-accept-sent');
}

function onJmi(text: string): void {
  const jmi = readJmi(text);
  if (!jmi || jmi.from === client!.jid) return;
  const call = lastWhere((c) => c.sid === jmi.sid);
  if (jmi.action === 'propose' && !call) {
    const incoming: Call = { sid: jmi.sid, peer: jmi.from, role: 'callee', via: 'jmi', media: jmi.media.includes('video') ? 'video' : 'audio', phase: 'incoming', events: [] };
    calls.push(incoming);
    mark(incoming, 'propose-received');
    if (shape.ringing.ringsWith === 'ringing') raw(jmiMessage(shape.ringing, jmi.from, 'ringing', jmi.sid));
    if (shape.ringing.ringsWith === 'receipt' && jmi.wantsReceipt) raw(receipt(jmi.from, jmi.id));
    return;
  }
  if (!call || call.phase === 'ended') return;
  if (call.role === 'caller' && jmi.action === 'ringing') mark(call, 'ringing-received', 'ringing-out');
  else if (call.role === 'caller' && jmi.action === 'proceed') void proceeded(call, jmi.from);
  else if (call.role === 'caller' && jmi.action === 'reject') end(call, jmi.reason ?? 'reject', 'remote');
  else if (call.role === 'callee' && jmi.action === 'retract') end(call, jmi.reason ?? 'retract', 'remote');
  else if (jmi.action === 'finish') mark(call, `finish-received:${jmi.reason ?? ''}`);
}

async function proceeded(call: Call, from: string): Promise<void> {
  call.peer = from;
  mark(call, 'proceed-received', 'connecting');
  const session = client!.jingle.createMediaSession(from, call.sid, call.stream) as MediaSession;
  watch(call, session);
  await session.start();
  mark(call, 'session-initiate-sent');
}

function setJmi(on: boolean): void {
  const features = (client!.disco as unknown as { features: Map<string, Set<string>> }).features.get('')!;
  if (on) features.add(NS_JMI);
  else features.delete(NS_JMI);
  client!.updateCaps();
  client!.sendPresence({ legacyCapabilities: client!.disco.getCaps() });
}

const api = {
  /** Logs in with a profile; resolves with the full JID once presence is out. */
  async login(options: { jid: string; password: string; url: string; resource: string; profile: ProfileName; jmi: boolean; resumable?: boolean }): Promise<string> {
    shape = profile(options.profile);
    profileName = options.profile;
    useShaper(shape.shaper);
    client = XMPP.createClient({
      jid: options.jid,
      password: options.password,
      resource: options.resource,
      transports: { websocket: options.url, bosh: false },
      // The peer writes XEP-0353 messages itself, which stream management would
      // not count; only a peer that places no call (one left to vanish) uses it.
      useStreamManagement: options.resumable ?? false,
      // Loopback only: no public STUN server.
      jingle: { iceServers: [], trickleIce: true },
    } as unknown as XMPP.AgentConfig);
    client.jingle.iceServers = [];
    client.on('raw:incoming', (text: string) => onJmi(text));
    client.on('jingle:incoming', (jingleSession) => {
      const session = jingleSession as MediaSession;
      const call = lastWhere((c) => c.sid === session.sid && c.phase !== 'ended');
      if (call?.accepted) {
        mark(call, 'session-initiate-received');
        void answer(call, session);
        return;
      }
      const media: Media = session.includesVideo || /media="video"|media='video'/.test(JSON.stringify(session.pc.remoteDescription?.sdp ?? '')) ? 'video' : 'audio';
      const direct: Call = { sid: session.sid, peer: session.peerID, role: 'callee', via: 'direct', media, phase: 'incoming', events: [] };
      calls.push(direct);
      direct.session = session;
      mark(direct, 'session-initiate-received');
      void session.ring();
    });
    client.on('jingle:accepted', (session) => {
      const call = lastWhere((c) => c.sid === session.sid);
      if (call) mark(call, 'session-accept-received', call.phase === 'connected' ? 'connected' : 'connecting');
    });
    client.on('jingle:terminated', (session, reason) => {
      const call = lastWhere((c) => c.sid === session.sid);
      if (call) end(call, reason?.condition ?? 'success', 'remote');
    });
    const started = new Promise<void>((resolve, reject) => {
      client!.once('session:started', () => resolve());
      client!.once('auth:failed', () => reject(new Error('authentication failed')));
    });
    client.connect();
    await started;
    await client.getRoster();
    setJmi(options.jmi);
    return client.jid;
  },

  /** Whether this device advertises XEP-0353 (Jingle Lab then proposes, else it sends session-initiate). */
  setJmi,

  async call(to: string, media: Media, via: 'jmi' | 'direct'): Promise<string> {
    const sid = shape.ringing.newSid();
    const call: Call = { sid, peer: to, role: 'caller', via, media, phase: 'proposing', events: [] };
    calls.push(call);
    mark(call, 'call-started');
    call.stream = await devices(media);
    if (via === 'jmi') {
      raw(jmiMessage(shape.ringing, to.split('/')[0]!, 'propose', sid, { media: media === 'video' ? ['audio', 'video'] : ['audio'] }));
      mark(call, 'propose-sent');
    } else {
      call.phase = 'ringing-out';
      const session = client!.jingle.createMediaSession(to, sid, call.stream) as MediaSession;
      watch(call, session);
      await session.start();
      mark(call, 'session-initiate-sent');
    }
    return sid;
  },

  async accept(): Promise<void> {
    const call = current();
    if (!call || call.phase !== 'incoming') throw new Error(`nothing rings (${call?.phase ?? 'no call'})`);
    mark(call, 'accept');
    if (call.via === 'jmi') {
      call.accepted = true;
      call.phase = 'connecting';
      // XEP-0353 §3.2: accept to our own bare JID, so our other devices stop ringing; proceed to the caller.
      raw(jmiMessage(shape.ringing, ownBare(), 'accept', call.sid));
      raw(jmiMessage(shape.ringing, call.peer, 'proceed', call.sid));
      return;
    }
    await answer(call, call.session!);
  },

  decline(): void {
    const call = current();
    if (!call || call.phase !== 'incoming') throw new Error('nothing rings');
    if (call.via === 'jmi') {
      raw(jmiMessage(shape.ringing, call.peer, 'reject', call.sid, { reason: 'decline' }));
      raw(jmiMessage(shape.ringing, ownBare(), 'reject', call.sid, { reason: 'decline' }));
    } else {
      call.session!.end('decline');
    }
    end(call, 'decline', 'local');
  },

  hangUp(): void {
    const call = current();
    if (!call) throw new Error('no call');
    if (call.phase === 'proposing' || call.phase === 'ringing-out') {
      if (call.via === 'jmi' && !call.session) raw(jmiMessage(shape.ringing, call.peer, 'retract', call.sid, { reason: 'cancel' }));
      else call.session?.end('cancel');
      end(call, 'cancel', 'local');
      return;
    }
    call.session?.end('success');
    if (call.via === 'jmi') raw(jmiMessage(shape.ringing, call.peer, 'finish', call.sid, { reason: 'success' }));
    end(call, 'success', 'local');
  },

  /**
   * Turns this side's camera off or on without renegotiating, as the
   * profile's client does: Dino changes the video content's `senders` with
   * content-modify; StanzaJS says session-info <mute/> of the content.
   * Either way the track leaves the sender, so no frame goes.
   */
  async camera(on: boolean): Promise<void> {
    const call = current();
    const pc = call?.session?.pc;
    const transceiver = pc?.getTransceivers().find((t) => t.receiver.track.kind === 'video' && t.mid);
    if (!call || !pc || !transceiver) throw new Error('no video in this call');
    const name = transceiver.mid!;
    const own = call.role === 'caller' ? 'initiator' : 'responder';
    const id = `peer-camera-${++stanzaIds}`;
    const jingle = (body: string, action: string) =>
      `<iq xmlns='jabber:client' type='set' to='${call.peer}' id='${id}'><jingle xmlns='urn:xmpp:jingle:1' action='${action}' sid='${call.sid}'>${body}</jingle></iq>`;
    if (profileName === 'dino') {
      const senders = on ? 'both' : own === 'initiator' ? 'responder' : 'initiator';
      raw(jingle(`<content creator='initiator' name='${name}' senders='${senders}'/>`, 'content-modify'));
    } else {
      raw(jingle(`<${on ? 'unmute' : 'mute'} xmlns='urn:xmpp:jingle:apps:rtp:info:1' creator='initiator' name='${name}'/>`, 'session-info'));
    }
    await transceiver.sender.replaceTrack(on ? (call.stream?.getVideoTracks()[0] ?? null) : null);
    mark(call, on ? 'camera-on' : 'camera-off');
  },

  /** The last call, as plain data. */
  last(): Omit<Call, 'session' | 'stream'> | undefined {
    const call = calls.at(-1);
    if (!call) return undefined;
    const { session: _session, stream: _stream, ...plain } = call;
    return structuredClone(plain);
  },

  /** The last call's peer connection, once it has one: the benchmark times its first media by its events. */
  peerConnection(): RTCPeerConnection | undefined {
    return calls.at(-1)?.session?.pc;
  },

  async stats(): Promise<{ inboundAudioBytes: number; inboundVideoBytes: number; framesDecoded: number; frameWidth: number; frameHeight: number }> {
    const totals = { inboundAudioBytes: 0, inboundVideoBytes: 0, framesDecoded: 0, frameWidth: 0, frameHeight: 0 };
    const pc = current()?.session?.pc;
    if (!pc) return totals;
    (await pc.getStats()).forEach((r: { type: string; kind?: string; bytesReceived?: number; framesDecoded?: number; frameWidth?: number; frameHeight?: number }) => {
      if (r.type !== 'inbound-rtp') return;
      if (r.kind === 'audio') totals.inboundAudioBytes += r.bytesReceived ?? 0;
      if (r.kind === 'video') {
        totals.inboundVideoBytes += r.bytesReceived ?? 0;
        totals.framesDecoded += r.framesDecoded ?? 0;
        if ((r.frameWidth ?? 0) > totals.frameWidth) {
          totals.frameWidth = r.frameWidth ?? 0;
          totals.frameHeight = r.frameHeight ?? 0;
        }
      }
    });
    return totals;
  },

  /** Every frame this page sent and received, after shaping. */
  frames: () => frames.map((f) => ({ ...f })),

  async logOut(): Promise<void> {
    await client?.disconnect();
  },
};

(globalThis as unknown as { peer: typeof api }).peer = api;
document.getElementById('status')!.textContent = 'ready';
