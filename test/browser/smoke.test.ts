import { expect, it } from 'vitest';
it('has WebRTC', async () => {
  const pc = new RTCPeerConnection();
  expect(pc.signalingState).toBe('stable');
  pc.close();
});
