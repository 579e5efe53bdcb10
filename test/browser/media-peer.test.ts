// The media adapter's mid-call renegotiation, in Chromium itself: two
// MediaPeers wired to each other (SDP passed as is, no Jingle), an audio call,
// then video added, refused, or crossed by the other side's.
import { afterEach, describe, expect, it } from 'vitest';
import { createMediaPeer, type MediaPeer, type PeerState } from '../../src/media/media-peer.ts';

const opened: MediaStream[] = [];
const peers: MediaPeer[] = [];
afterEach(() => {
  for (const p of peers.splice(0)) p.destroy();
  for (const s of opened.splice(0)) s.getTracks().forEach((t) => t.stop());
});

async function media(constraints: MediaStreamConstraints): Promise<MediaStream> {
  const stream = await navigator.mediaDevices.getUserMedia(constraints);
  opened.push(stream);
  return stream;
}

const until = async (test: () => boolean | Promise<boolean>, what: string, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!(await test())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

const mLines = (sdp: string | undefined) => (sdp ?? '').split('\r\n').filter((l) => l.startsWith('m='));

/** An audio call between two adapters, connected; each side's remote stream kept. */
async function audioCall() {
  const micA = await media({ audio: true });
  const micB = await media({ audio: true });
  const a = createMediaPeer({ initiator: true, stream: micA });
  const b = createMediaPeer({ initiator: false, stream: micB });
  peers.push(a, b);
  const states: Record<'a' | 'b', PeerState> = { a: 'new', b: 'new' };
  const remote: Record<'a' | 'b', MediaStream | undefined> = { a: undefined, b: undefined };
  for (const [self, other, name] of [[a, b, 'a'], [b, a, 'b']] as const) {
    self.on('signal', (s) => {
      if (s.type !== 'gathered') other.signal(s);
    });
    self.on('state', (s) => (states[name] = s));
    self.on('remoteStream', (s) => (remote[name] = s));
  }
  await until(() => states.a === 'connected' && states.b === 'connected', 'the call to connect');
  return { a, b, micA, micB, remote };
}

describe('the media adapter’s mid-call renegotiation', () => {
  it('adds our camera by a new offer; the peer answers with its own; both receive video in the stream of their audio', async () => {
    const { a, b, remote } = await audioCall();
    const camA = (await media({ video: true })).getVideoTracks()[0]!;
    const camB = (await media({ video: true })).getVideoTracks()[0]!;
    const offer = await a.offerTrack(camA);
    expect(mLines(offer).map((l) => l.split(' ')[0])).toEqual(['m=audio', 'm=video']);
    const answer = await b.answerOffer(offer, { track: camB });
    expect(answer).toMatch(/m=video[\s\S]*a=sendrecv/);
    await a.acceptAnswer(answer);
    await until(() => Boolean(remote.a?.getVideoTracks().length && remote.b?.getVideoTracks().length), 'video tracks on both sides');
    expect(remote.a!.getAudioTracks()).toHaveLength(1);
    expect(remote.b!.getAudioTracks()).toHaveLength(1);
    const frames = async (p: MediaPeer) => (await p.getStats()).framesDecoded;
    await until(async () => (await frames(a)) > 0 && (await frames(b)) > 0, 'frames decoded on both sides');
    expect(await frames(a)).toBeGreaterThan(0);
    expect(await frames(b)).toBeGreaterThan(0);
  });

  it('rolls back an offer the peer refused: the next offer has no video m-line, and audio goes on', async () => {
    const { a } = await audioCall();
    const cam = (await media({ video: true })).getVideoTracks()[0]!;
    await a.offerTrack(cam);
    await a.rollback();
    const offers: string[] = [];
    a.on('signal', (s) => {
      if (s.type === 'offer') offers.push(s.sdp);
    });
    await a.restartIce();
    expect(mLines(offers[0]).map((l) => l.split(' ')[0])).toEqual(['m=audio']);
    expect(a.localDescription).toContain('a=setup:actpass');
  });

  it('answers the peer’s offer over a pending one of ours (a lost tie-break): ours is rolled back, our camera goes on the peer’s new m-line', async () => {
    const { a, b, remote } = await audioCall();
    const camA = (await media({ video: true })).getVideoTracks()[0]!;
    const camB = (await media({ video: true })).getVideoTracks()[0]!;
    await b.offerTrack(camB);
    const offer = await a.offerTrack(camA);
    const answer = await b.answerOffer(offer, { track: camB });
    expect(mLines(answer)).toHaveLength(2);
    expect(answer).toMatch(/m=video[\s\S]*a=sendrecv/);
    await a.acceptAnswer(answer);
    await until(() => Boolean(remote.a?.getVideoTracks().length), 'b’s video at a');
    // The rollback left b's microphone sending: a's audio keeps coming in.
    const before = (await a.getStats()).inboundAudioBytes;
    await until(async () => (await a.getStats()).inboundAudioBytes > before + 2000, 'b’s audio to go on at a');
    await until(async () => (await a.getStats()).framesDecoded > 0 && (await b.getStats()).framesDecoded > 0, 'video both ways');
  });

  it('sends nothing on an m-line set to no track, and again with it, without renegotiating; a stopped m-line leaves audio going', async () => {
    const { a, b } = await audioCall();
    const cam = (await media({ video: true })).getVideoTracks()[0]!;
    await a.acceptAnswer(await b.answerOffer(await a.offerTrack(cam)));
    const mid = /m=video[\s\S]*?a=mid:(\S+)/.exec(a.localDescription!)![1]!;
    const described = a.localDescription;
    type Counter = 'inboundVideoBytes' | 'inboundAudioBytes';
    const bytes = async (key: Counter) => (await b.getStats())[key];
    /** Waits until the counter goes past its present value. */
    const rises = async (key: Counter) => {
      const first = await bytes(key);
      await until(async () => (await bytes(key)) > first, `${key} rising at b`);
    };
    /** Waits until the counter holds still for half a second: nothing arrives. */
    const stalls = async (key: Counter) => {
      let last = await bytes(key);
      let since = Date.now();
      await until(async () => {
        const now = await bytes(key);
        if (now !== last) [last, since] = [now, Date.now()];
        return Date.now() - since >= 500;
      }, `${key} stopping at b`);
    };
    await until(async () => (await bytes('inboundVideoBytes')) > 0, 'video at b');
    await rises('inboundVideoBytes');
    await a.setSending(mid, null);
    await stalls('inboundVideoBytes');
    await a.setSending(mid, cam);
    await rises('inboundVideoBytes');
    expect(a.localDescription).toBe(described);
    b.stopMids([mid]);
    await rises('inboundAudioBytes');
  });
});

describe('the media adapter answering before its devices open', () => {
  it('answers at once on m-lines that send, connects meanwhile, and sends the tracks once they open', async () => {
    const [micA, camA] = [await media({ audio: true }), await media({ video: true })];
    const callerStream = new MediaStream([...micA.getTracks(), ...camA.getTracks()]);
    let open!: (stream: MediaStream) => void;
    const devices = new Promise<MediaStream>((resolve) => (open = resolve));
    const a = createMediaPeer({ initiator: true, stream: callerStream });
    const b = createMediaPeer({ initiator: false, stream: devices, sends: ['audio', 'video'] });
    peers.push(a, b);
    const states: Record<'a' | 'b', PeerState> = { a: 'new', b: 'new' };
    let answer: string | undefined;
    for (const [self, other, name] of [[a, b, 'a'], [b, a, 'b']] as const) {
      self.on('signal', (s) => {
        if (s.type === 'answer') answer = s.sdp;
        if (s.type !== 'gathered') other.signal(s);
      });
      self.on('state', (s) => (states[name] = s));
    }
    await until(() => answer !== undefined, 'the answer');
    // Both m-lines send, each with its SSRC and msid (XEP-0339), with no track yet.
    const sections = answer!.split(/(?=^m=)/m).slice(1);
    expect(sections.map((m) => m.split(' ')[0])).toEqual(['m=audio', 'm=video']);
    for (const m of sections) {
      expect(m).toMatch(/a=sendrecv/);
      expect(m).toMatch(/a=ssrc:\d+ /);
      expect(m).toMatch(/a=msid:\S+ \S+/);
    }
    await until(() => states.a === 'connected' && states.b === 'connected', 'the connection, before the devices open');
    expect((await a.getStats()).inboundAudioBytes).toBe(0);
    const [micB, camB] = [await media({ audio: true }), await media({ video: true })];
    open(new MediaStream([...micB.getTracks(), ...camB.getTracks()]));
    await until(async () => (await a.getStats()).inboundAudioBytes > 0 && (await a.getStats()).framesDecoded > 0, 'audio and video from the callee');
    await until(async () => (await b.getStats()).inboundAudioBytes > 0 && (await b.getStats()).framesDecoded > 0, 'audio and video from the caller');
    expect((await a.getStats()).framesDecoded).toBeGreaterThan(0);
  });

  it('a foreseen kind the devices do not give sends nothing; the other goes', async () => {
    const [micA, camA, micB] = [await media({ audio: true }), await media({ video: true }), await media({ audio: true })];
    const a = createMediaPeer({ initiator: true, stream: new MediaStream([...micA.getTracks(), ...camA.getTracks()]) });
    const b = createMediaPeer({ initiator: false, stream: Promise.resolve(micB), sends: ['audio', 'video'] });
    peers.push(a, b);
    for (const [self, other] of [[a, b], [b, a]] as const) self.on('signal', (s) => s.type !== 'gathered' && other.signal(s));
    await until(async () => (await a.getStats()).inboundAudioBytes > 0, 'audio from the callee');
    await until(async () => (await b.getStats()).framesDecoded > 0, 'video from the caller');
    expect((await a.getStats()).inboundVideoBytes).toBe(0);
  });
});

describe('the media adapter’s answer', () => {
  it('is said once, as soon as it is made, before Chromium has applied it; the call connects and audio flows both ways', async () => {
    const [micA, micB] = [await media({ audio: true }), await media({ audio: true })];
    const a = createMediaPeer({ initiator: true, stream: micA });
    const b = createMediaPeer({ initiator: false, stream: micB });
    peers.push(a, b);
    const answers: { sdp: string; applied: string | undefined }[] = [];
    // For the inspector: how many answers had been said when each local answer was recorded.
    const recorded: number[] = [];
    b.on('sdp', (entry) => {
      if (entry.side === 'local' && entry.type === 'answer') recorded.push(answers.length);
    });
    for (const [self, other] of [[a, b], [b, a]] as const) {
      self.on('signal', (s) => {
        if (s.type === 'answer') answers.push({ sdp: s.sdp, applied: b.localDescription });
        if (s.type !== 'gathered') other.signal(s);
      });
    }
    await until(async () => (await a.getStats()).inboundAudioBytes > 0 && (await b.getStats()).inboundAudioBytes > 0, 'audio both ways');
    expect(answers).toHaveLength(1);
    expect(answers[0]!.applied).toBeUndefined();
    expect(recorded).toEqual([0]);
    // The same description Chromium then applied, bar the candidates gathered
    // since and the default address they put on the m-line.
    const withoutCandidates = (sdp: string | undefined) => (sdp ?? '').split('\r\n')
      .filter((l) => !/^(a=candidate|a=end-of-candidates|c=)/.test(l))
      .map((l) => l.replace(/^(m=\w+) \d+/, '$1'))
      .join('\r\n');
    expect(withoutCandidates(b.localDescription)).toBe(withoutCandidates(answers[0]!.sdp));
  });
});

describe('the media adapter’s offer', () => {
  it('carries the video codecs of offeredVideoCodecs(), and video flows with them', async () => {
    const [micA, camA, micB, camB] = [await media({ audio: true }), await media({ video: true }), await media({ audio: true }), await media({ video: true })];
    const a = createMediaPeer({ initiator: true, stream: new MediaStream([...micA.getTracks(), ...camA.getTracks()]) });
    const b = createMediaPeer({ initiator: false, stream: new MediaStream([...micB.getTracks(), ...camB.getTracks()]) });
    peers.push(a, b);
    let offer: string | undefined;
    for (const [self, other] of [[a, b], [b, a]] as const) {
      self.on('signal', (s) => {
        if (s.type === 'offer') offer = s.sdp;
        if (s.type !== 'gathered') other.signal(s);
      });
    }
    await until(() => offer !== undefined, 'the offer');
    const video = offer!.slice(offer!.indexOf('m=video'));
    const names = [...video.matchAll(/a=rtpmap:\d+ ([\w-]+)\//g)].map((m) => m[1]);
    expect(new Set(names)).toEqual(new Set(['VP8', 'VP9', 'H264', 'AV1', 'rtx', 'red', 'ulpfec']));
    expect(video).not.toMatch(/packetization-mode=0|profile-id=2|flexfec/);
    await until(async () => (await a.getStats()).framesDecoded > 0 && (await b.getStats()).framesDecoded > 0, 'frames decoded on both sides');
  });
});
