// Captures real Chromium offers and answers (fake devices, loopback only) as
// golden fixtures for the SDP ⇄ Jingle translation tests.
//   node scripts/capture-sdp.mjs [outDir]
// Run it inside a network namespace that has only `lo` so the fixtures
// carry 127.0.0.1 candidates and no address of the machine.
import { createServer } from 'node:http';
import { writeFile, mkdir } from 'node:fs/promises';
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from './browser.mjs';

const outDir = process.argv[2] ?? 'test/fixtures/chromium';
await mkdir(outDir, { recursive: true });

const server = createServer((_req, res) => {
  res.setHeader('content-type', 'text/html');
  res.end('<!doctype html><title>capture</title>');
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address();

const browser = await chromium.launch(chromiumLaunchOptions());
try {
  const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
  const page = await context.newPage();
  await page.goto(`http://localhost:${port}/`);
  const captures = await page.evaluate(async () => {
    const gathered = (pc) =>
      new Promise((resolve) => {
        if (pc.iceGatheringState === 'complete') return resolve();
        pc.addEventListener('icegatheringstatechange', () => {
          if (pc.iceGatheringState === 'complete') resolve();
        });
      });
    const media = (constraints) => navigator.mediaDevices.getUserMedia(constraints);
    const stopAll = (...streams) => streams.forEach((s) => s.getTracks().forEach((t) => t.stop()));
    // Offer and answer of one exchange; `mungeOffer` edits the offer the callee sees.
    async function exchange(caller, callee, { mungeOffer = (sdp) => sdp, mungeLocalOffer } = {}) {
      const created = await caller.createOffer();
      const local = mungeLocalOffer ? { type: 'offer', sdp: mungeLocalOffer(created.sdp) } : created;
      await caller.setLocalDescription(local);
      await gathered(caller);
      const offer = mungeOffer(caller.localDescription.sdp);
      await callee.setRemoteDescription({ type: 'offer', sdp: offer });
      await callee.setLocalDescription(await callee.createAnswer());
      await gathered(callee);
      const answer = callee.localDescription.sdp;
      await caller.setRemoteDescription({ type: 'answer', sdp: answer });
      return { offer, answer };
    }
    async function call(constraints, options) {
      const a = await media(constraints);
      const b = await media(constraints);
      const caller = new RTCPeerConnection({ bundlePolicy: 'balanced' });
      const callee = new RTCPeerConnection({ bundlePolicy: 'balanced' });
      a.getTracks().forEach((t) => caller.addTrack(t, a));
      callee.ontrack = () => {};
      const pending = exchange(caller, callee, options);
      b.getTracks().forEach((t) => callee.addTrack(t, b));
      const result = await pending;
      return { result, caller, callee, a, b };
    }
    const out = {};
    for (const [name, constraints] of [
      ['audio', { audio: true, video: false }],
      ['video', { audio: false, video: true }],
      ['audio-video', { audio: true, video: true }],
    ]) {
      const { result, caller, callee, a, b } = await call(constraints);
      out[name] = result;
      caller.close(); callee.close(); stopAll(a, b);
    }
    // Dino never groups: the callee sees an offer without a=group and answers unbundled.
    {
      const unbundle = (sdp) => sdp.replace(/a=group:BUNDLE[^\r\n]*\r\n/, '');
      const { result, caller, callee, a, b } = await call({ audio: true, video: true }, { mungeOffer: unbundle });
      out['audio-video-nobundle'] = result;
      caller.close(); callee.close(); stopAll(a, b);
    }
    // Video added to an audio call by renegotiation (a content-add).
    {
      const { result, caller, callee, a, b } = await call({ audio: true, video: false });
      out['renegotiation-audio'] = result;
      const camera = await media({ video: true });
      caller.addTrack(camera.getVideoTracks()[0], a);
      out['renegotiation-add-video'] = await exchange(caller, callee);
      caller.close(); callee.close(); stopAll(a, b, camera);
    }
    // Legacy simulcast: three layers in a SIM ssrc-group, each with its rtx FID group,
    // set as Chromium's own local description (the munging Jitsi-style clients use).
    {
      const random = () => Math.floor(Math.random() * 0xfffffff0) + 1;
      const simulcast = (sdp) => {
        const lines = sdp.split('\r\n');
        const start = lines.findIndex((l) => l.startsWith('m=video'));
        const fid = lines.find((l, i) => i > start && l.startsWith('a=ssrc-group:FID'));
        const [, primary, rtx] = fid.match(/FID (\d+) (\d+)/);
        const cname = lines.find((l) => l.startsWith(`a=ssrc:${primary} cname:`)).split('cname:')[1];
        const msid = lines.find((l) => l.startsWith(`a=ssrc:${primary} msid:`)).split('msid:')[1];
        const layers = [[primary, rtx], [String(random()), String(random())], [String(random()), String(random())]];
        const kept = lines.filter((l, i) => i <= start || !(l.startsWith('a=ssrc') ));
        const extra = [
          `a=ssrc-group:SIM ${layers.map((l) => l[0]).join(' ')}`,
          ...layers.map((l) => `a=ssrc-group:FID ${l[0]} ${l[1]}`),
          ...layers.flat().flatMap((ssrc) => [`a=ssrc:${ssrc} cname:${cname}`, `a=ssrc:${ssrc} msid:${msid}`]),
        ];
        const end = kept.findIndex((l, i) => i > start && l.startsWith('m=')) === -1 ? kept.length - 1 : kept.findIndex((l, i) => i > start && l.startsWith('m='));
        kept.splice(end, 0, ...extra);
        return kept.join('\r\n');
      };
      const { result, caller, callee, a, b } = await call({ audio: true, video: true }, { mungeLocalOffer: simulcast });
      out['video-simulcast'] = result;
      caller.close(); callee.close(); stopAll(a, b);
    }
    return out;
  });
  for (const [name, pair] of Object.entries(captures)) {
    await writeFile(`${outDir}/${name}-offer.sdp`, pair.offer);
    await writeFile(`${outDir}/${name}-answer.sdp`, pair.answer);
    console.log(`${name}: offer ${pair.offer.length} bytes, answer ${pair.answer.length} bytes`);
  }
} finally {
  await browser.close();
  server.close();
}
