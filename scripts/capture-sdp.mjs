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
  for (const [name, constraints] of [
    ['audio', { audio: true, video: false }],
    ['video', { audio: false, video: true }],
    ['audio-video', { audio: true, video: true }],
  ]) {
    const pair = await page.evaluate(async (constraints) => {
      const gathered = (pc) =>
        new Promise((resolve) => {
          if (pc.iceGatheringState === 'complete') return resolve();
          pc.addEventListener('icegatheringstatechange', () => {
            if (pc.iceGatheringState === 'complete') resolve();
          });
        });
      const stream = await navigator.mediaDevices.getUserMedia(constraints);
      const caller = new RTCPeerConnection({ bundlePolicy: 'balanced' });
      const callee = new RTCPeerConnection({ bundlePolicy: 'balanced' });
      for (const track of stream.getTracks()) caller.addTrack(track, stream);
      await caller.setLocalDescription(await caller.createOffer());
      await gathered(caller);
      const offer = caller.localDescription.sdp;
      await callee.setRemoteDescription({ type: 'offer', sdp: offer });
      const answerStream = await navigator.mediaDevices.getUserMedia(constraints);
      for (const track of answerStream.getTracks()) callee.addTrack(track, answerStream);
      await callee.setLocalDescription(await callee.createAnswer());
      await gathered(callee);
      const answer = callee.localDescription.sdp;
      caller.close();
      callee.close();
      for (const t of [...stream.getTracks(), ...answerStream.getTracks()]) t.stop();
      return { offer, answer };
    }, constraints);
    await writeFile(`${outDir}/${name}-offer.sdp`, pair.offer);
    await writeFile(`${outDir}/${name}-answer.sdp`, pair.answer);
    console.log(`${name}: offer ${pair.offer.length} bytes, answer ${pair.answer.length} bytes`);
  }
} finally {
  await browser.close();
  server.close();
}
