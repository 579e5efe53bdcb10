// The soak's verdict and its table, printed and written as JSON and Markdown.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const OUT = join(fileURLToPath(new URL('..', import.meta.url)), 'bench-results');
const PAGES = ['alice', 'bob'];

/**
 * How much a counter may grow from the reference sample to the last one: a
 * share of its value there, but never less than a floor that covers what
 * moves between two samples of a flat page. Growth past these is a leak.
 * - heap: V8 keeps some garbage and compiled code; and until call 100 the app
 *   keeps each ended call (src/ui/app-root.ts MAX_HISTORY), about 17 KB each
 *   with both sides' descriptions, so calls 10 to 50 add about 0.7 MB (+11%).
 * - listeners: Lit adds and removes a few as the contact list and notices
 *   render, so two samples of a flat page differ by up to about 8.
 * - nodes: the wire log renders its stanzas and reaches its cap of 500
 *   (MAX_LOG) at about call 12, after the first sample: about +10% by design.
 */
export const LIMITS = {
  heapMB: { share: 0.25, atLeast: 1 },
  listeners: { share: 0.1, atLeast: 10 },
  nodes: { share: 0.2, atLeast: 100 },
};
/**
 * The reference is the sample after 10 calls; in a run past 100 calls, the
 * one after 100, when the app's bounded stores are full and must stay flat.
 */
const REFERENCES = [100, 10];

/** What is wrong with a run: failed calls, page errors, media that outlived the calls, growth. */
export function verdict({ rows, failure, pageErrors }) {
  const problems = [];
  if (failure) problems.push(`call ${failure.call} (${failure.media}, ${failure.hangsUp} to hang up) failed: ${failure.message}`);
  for (const page of PAGES) for (const e of pageErrors[page]) problems.push(`${page}: uncaught error in the page: ${e}`);
  const last = rows.at(-1);
  if (failure || !last?.calls) return problems;
  for (const page of PAGES) {
    if (last[page].peerConnections) problems.push(`${page}: ${last[page].peerConnections} peer connection(s) still open after the last call`);
    if (last[page].liveTracks) problems.push(`${page}: ${last[page].liveTracks} camera or microphone track(s) still live after the last call`);
  }
  const reference = referenceOf(rows);
  if (!reference) return problems;
  for (const page of PAGES) {
    for (const [key, { share, atLeast }] of Object.entries(LIMITS)) {
      const [from, to] = [reference[page][key], last[page][key]];
      const allowed = Math.max(from * share, atLeast);
      if (to - from > allowed) problems.push(`${page}: ${key} grew from ${from} to ${to} between ${reference.label} and ${last.label} (allowed +${round(allowed)})`);
    }
  }
  return problems;
}

/** The sample growth is measured from, or none when the run is too short to have one before its last. */
function referenceOf(rows) {
  const last = rows.at(-1);
  return REFERENCES.map((calls) => rows.find((r) => r.calls === calls && r !== last)).find(Boolean);
}

const round = (x) => Number(x.toFixed(2));

function markdownTable(head, rows) {
  const cells = [head, ...rows].map((r) => r.map(String));
  const widths = head.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const line = (r) => `| ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(cells[0]), rule, ...cells.slice(1).map(line)].join('\n');
}

export function countersTable(rows) {
  const head = ['after', ...PAGES.flatMap((p) => [`${p}: heap MB`, 'peer conns', 'live tracks', 'listeners', 'nodes'])];
  const body = rows.map((r) => [r.label, ...PAGES.flatMap((p) => [r[p].heapMB.toFixed(2), r[p].peerConnections, r[p].liveTracks, r[p].listeners, r[p].nodes])]);
  return markdownTable(head, body);
}

function keptTable(rows) {
  const head = ['after', ...PAGES.flatMap((p) => [`${p}: wire log`, 'calls kept', 'PCs not collected', 'tracks not collected'])];
  const body = rows.map((r) => [r.label, ...PAGES.flatMap((p) => [r[p].kept.wireLog, r[p].kept.endedCalls, r[p].uncollected.uncollectedPeerConnections, r[p].uncollected.uncollectedTracks])]);
  return markdownTable(head, body);
}

export async function report(run) {
  const problems = verdict(run);
  const limits = Object.entries(LIMITS).map(([k, { share, atLeast }]) => `${k} +${share * 100}% (at least +${atLeast})`).join(', ');
  const md = [
    `# Soak: ${run.done} of ${run.calls} calls in a row, ${run.minutes.toFixed(1)} min, Chromium ${run.chromium}`,
    '',
    'Each page after a forced garbage collection; peer conns = RTCPeerConnections not closed, live tracks = getUserMedia tracks not ended.',
    '',
    countersTable(run.rows),
    '',
    'What the app keeps on purpose (wire log capped at 500 stanzas, ended calls at 100), and closed or ended objects still reachable:',
    '',
    keptTable(run.rows),
    '',
    referenceOf(run.rows) ? `Allowed growth from ${referenceOf(run.rows).label} to the last sample: ${limits}.` : 'Too few calls to judge growth (it is measured from the sample after 10 calls).',
    '',
    problems.length ? problems.map((p) => `- FAIL: ${p}`).join('\n') : 'Flat: no peer connection or device track outlives its call; heap, listeners and nodes stay within the allowed growth.',
    '',
  ].join('\n');
  await mkdir(OUT, { recursive: true });
  await writeFile(join(OUT, 'soak.json'), JSON.stringify({ ...run, limits: LIMITS, problems }, null, 2));
  await writeFile(join(OUT, 'soak.md'), md);
  console.log(`\n${md}\nWritten: bench-results/soak.json, soak.md`);
  return problems;
}
