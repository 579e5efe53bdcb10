// The floor: two RTCPeerConnections in one page, exchanging offer, answer and
// candidates directly (no XMPP), media already acquired. Timed from
// createOffer to first inbound RTP both ways (and first decoded frame for video).

export async function floorRuns(page, media, runs) {
  return page.evaluate(async ({ media, runs }) => {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: media === 'video' });
    const results = [];
    const inbound = async (pc) => {
      const s = { audio: 0, video: 0, frames: 0 };
      (await pc.getStats()).forEach((r) => {
        if (r.type !== 'inbound-rtp') return;
        if (r.kind === 'audio') s.audio += r.bytesReceived ?? 0;
        if (r.kind === 'video') {
          s.video += r.bytesReceived ?? 0;
          s.frames += r.framesDecoded ?? 0;
        }
      });
      return s;
    };
    for (let run = 0; run < runs; run++) {
      const a = new RTCPeerConnection({ bundlePolicy: 'balanced' });
      const b = new RTCPeerConnection({ bundlePolicy: 'balanced' });
      a.onicecandidate = (e) => e.candidate && b.addIceCandidate(e.candidate);
      b.onicecandidate = (e) => e.candidate && a.addIceCandidate(e.candidate);
      for (const t of stream.getTracks()) {
        a.addTrack(t, stream);
        b.addTrack(t, stream);
      }
      const start = performance.now();
      const offer = await a.createOffer();
      await a.setLocalDescription(offer);
      await b.setRemoteDescription(offer);
      const answer = await b.createAnswer();
      await b.setLocalDescription(answer);
      await a.setRemoteDescription(answer);
      const first = { audio: [undefined, undefined], frame: [undefined, undefined] };
      while (performance.now() - start < 20_000) {
        const [sa, sb] = [await inbound(a), await inbound(b)];
        const now = performance.now() - start;
        [sa, sb].forEach((s, i) => {
          if (first.audio[i] === undefined && s.audio > 0) first.audio[i] = now;
          if (first.frame[i] === undefined && s.frames > 0) first.frame[i] = now;
        });
        const done = first.audio.every((x) => x !== undefined) && (media === 'audio' || first.frame.every((x) => x !== undefined));
        if (done) break;
        await new Promise((r) => setTimeout(r, 5));
      }
      results.push({ audio: Math.max(...first.audio), frame: media === 'video' ? Math.max(...first.frame) : undefined });
      a.close();
      b.close();
    }
    for (const t of stream.getTracks()) t.stop();
    return results;
  }, { media, runs });
}
