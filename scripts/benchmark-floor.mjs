// The floor: two RTCPeerConnections in one page, exchanging offer, answer and
// candidates directly (no XMPP), media already acquired. Timed from
// createOffer to first inbound RTP both ways (and first frame shown for
// video), by the same events as Jingle Lab's timeline (benchmark-first-media.mjs).
import { installFirstMediaWatcher } from './benchmark-first-media.mjs';

export async function floorRuns(page, media, runs) {
  await page.evaluate(installFirstMediaWatcher);
  return page.evaluate(async ({ media, runs }) => {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: media === 'video' });
    const results = [];
    for (let run = 0; run < runs; run++) {
      const a = new RTCPeerConnection({ bundlePolicy: 'balanced' });
      const b = new RTCPeerConnection({ bundlePolicy: 'balanced' });
      a.onicecandidate = (e) => e.candidate && b.addIceCandidate(e.candidate);
      b.onicecandidate = (e) => e.candidate && a.addIceCandidate(e.candidate);
      for (const t of stream.getTracks()) {
        a.addTrack(t, stream);
        b.addTrack(t, stream);
      }
      const marks = [globalThis.__watchFirstMedia(a), globalThis.__watchFirstMedia(b)];
      const start = performance.timeOrigin + performance.now();
      const offer = await a.createOffer();
      await a.setLocalDescription(offer);
      await b.setRemoteDescription(offer);
      const answer = await b.createAnswer();
      await b.setLocalDescription(answer);
      await a.setRemoteDescription(answer);
      const key = media === 'video' ? 'frame' : 'audio';
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline && !marks.every((m) => m.audio !== undefined && m[key] !== undefined)) await new Promise((r) => setTimeout(r, 5));
      const since = (k) => Math.max(...marks.map((m) => m[k] ?? Infinity)) - start;
      results.push({ audio: since('audio'), frame: media === 'video' ? since('frame') : undefined });
      a.close();
      b.close();
    }
    for (const t of stream.getTracks()) t.stop();
    return results;
  }, { media, runs });
}
