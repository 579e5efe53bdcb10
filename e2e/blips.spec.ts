// The fault matrix: Alice calls Bob (XEP-0353), and one side's XMPP WebSocket
// is cut at one moment of the call, then comes back at once. Within 10 s of
// the reconnect the call must either connect with media both ways or have
// ended on both sides with a reason: never a side left ringing, or showing
// "Hang up" without media. Each test notes how long after the reconnect.
import { call, type CuttableParty, expect, expectRising, incoming, notice, phase, test } from './parties.ts';

type Side = 'caller' | 'callee';
const MOMENTS = [
  'ringing, and Accept is pressed while it is down',
  'the instant after Accept',
  'between proceed and session-initiate',
  'between session-initiate and session-accept',
  'while ICE is checking',
  'while connected',
  'during hang-up',
] as const;
type Moment = (typeof MOMENTS)[number];

/** The stanza whose passing marks the moment, by side: lost in transit as the socket is cut. */
const FRAME: Partial<Record<Moment, Record<Side, ['sent' | 'received', RegExp]>>> = {
  'between proceed and session-initiate': { callee: ['sent', /<proceed[ >]/], caller: ['received', /<proceed[ >]/] },
  'between session-initiate and session-accept': { callee: ['received', /action=["']session-initiate["']/], caller: ['sent', /action=["']session-initiate["']/] },
  'while ICE is checking': { callee: ['sent', /action=["']session-accept["']/], caller: ['received', /action=["']session-accept["']/] },
  'during hang-up': { callee: ['sent', /action=["']session-terminate["']/], caller: ['sent', /action=["']session-terminate["']/] },
};

const OUTCOME_DEADLINE_MS = 10_000;

const inCall = (party: CuttableParty) => party.page.getByRole('button', { name: /^(Hang up|Cancel)$/ });

/**
 * Waits for one of the two outcomes: both sides connected, or both sides with
 * no call left (each showing why). Anything else at the deadline is a call
 * that hangs.
 */
async function settled(alice: CuttableParty, bob: CuttableParty, left: () => number): Promise<'connected' | 'ended'> {
  let outcome: 'connected' | 'ended' | 'stuck' = 'stuck';
  await expect
    .poll(async () => {
      const phases = await Promise.all([alice, bob].map(async (p) => ((await phase(p).count()) ? await phase(p).textContent() : 'none')));
      const calls = await Promise.all([alice, bob].map((p) => inCall(p).count()));
      const ringing = await incoming(bob).count();
      if (phases.every((p) => p === 'Connected')) outcome = 'connected';
      else if (calls.every((n) => n === 0) && ringing === 0) outcome = 'ended';
      else outcome = 'stuck';
      if (outcome !== 'stuck') return outcome;
      const notices = await Promise.all([alice, bob].map(async (p) => ((await notice(p).count()) ? await notice(p).textContent() : '')));
      return `alice: ${phases[0]} ${notices[0]}, bob: ${phases[1]} ${notices[1]}${ringing ? ', bob ringing' : ''}`;
    }, { message: 'connected on both sides, or ended on both', timeout: left() })
    .toMatch(/^(connected|ended)$/);
  return outcome as 'connected' | 'ended';
}

for (const resumes of [true, false]) {
for (const side of ['callee', 'caller'] as const) {
  for (const moment of MOMENTS) {
    const how = resumes ? 'the stream resumes' : 'a new session under the same resource';
    test(`the ${side}’s connection drops ${moment}; ${how}`, async ({ aliceOnFlakyNetwork: alice, bobOnFlakyNetwork: bob }, testInfo) => {
      const cut: CuttableParty = side === 'caller' ? alice : bob;
      if (!resumes) cut.failNextResume();
      const accept = () => incoming(bob).getByRole('button', { name: 'Accept' }).click();
      await call(alice, bob, 'audio');
      await expect(incoming(bob)).toBeVisible();
      await expect(phase(alice)).toHaveText('Ringing…');

      const frame = FRAME[moment]?.[side];
      if (frame) cut.cutAt(...frame);
      if (moment === 'ringing, and Accept is pressed while it is down') {
        await cut.cut();
        await accept();
      } else if (moment === 'the instant after Accept') {
        await accept();
        await cut.cut();
      } else if (moment === 'while connected' || moment === 'during hang-up') {
        await accept();
        await expect(phase(alice)).toHaveText('Connected');
        await expect(phase(bob)).toHaveText('Connected');
        if (moment === 'while connected') await cut.cut();
        else await cut.page.getByRole('button', { name: 'Hang up' }).click();
      } else {
        await accept();
      }
      await expect.poll(() => cut.sockets, { message: `${cut.name}’s app reconnects` }).toBe(2);
      if (frame) expect(cut.wasCut, 'the socket was cut at the moment’s stanza').toBe(true);
      const reconnectedAt = cut.openedAt;
      const left = () => Math.max(OUTCOME_DEADLINE_MS - (Date.now() - reconnectedAt), 1);

      const outcome = await settled(alice, bob, left);
      if (moment === 'during hang-up') {
        expect(outcome, 'a hang-up ends the call on both sides').toBe('ended');
        const other = cut === alice ? bob : alice;
        await expect(notice(cut)).toHaveText('You hung up');
        await expect(notice(other)).toHaveText(`${cut.name} hung up`);
      } else if (outcome === 'connected') {
        await expectRising(alice, ['inboundAudioBytes']);
        await expectRising(bob, ['inboundAudioBytes']);
      } else {
        // Ended, then on both sides, each saying why.
        for (const party of [alice, bob]) await expect(notice(party)).not.toHaveText('');
      }
      const ms = Date.now() - reconnectedAt;
      expect(ms, 'outcome within 10 s of the reconnect').toBeLessThanOrEqual(OUTCOME_DEADLINE_MS + 5000);
      const why = outcome === 'ended' ? ` (${await notice(alice).textContent()} / ${await notice(bob).textContent()})` : '';
      testInfo.annotations.push({ type: 'outcome', description: `${outcome} ${ms} ms after the reconnect${why}` });
      if (outcome === 'connected') await alice.page.getByRole('button', { name: 'Hang up' }).click();
    });
  }
}
}
