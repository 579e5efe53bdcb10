// A Playwright reporter for the interop suite: one row per scenario, one
// column per peer profile, each cell pass or fail with accept → first media
// both ways in ms. Always written to bench-results/interop.json; with
// `npm run test:interop -- --report` also into docs/interop.md, between its
// markers.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';

const ROOT = join(import.meta.dirname, '..', '..');
const START = '<!-- interop-matrix:start -->';
const END = '<!-- interop-matrix:end -->';
const PROFILE_TITLE = /^peer profile: (\w+)$/;

interface Outcome {
  profile: string;
  scenario: string;
  status: 'pass' | 'fail';
  ms?: number;
  error?: string;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)]! : undefined;
};

export function matrixMarkdown(outcomes: Outcome[], meta: { date: string; seconds: number; versions: string }): string {
  const profiles = [...new Set(outcomes.map((o) => o.profile))];
  const scenarios = [...new Set(outcomes.map((o) => o.scenario))];
  const cell = (p: string, s: string) => {
    const o = outcomes.find((x) => x.profile === p && x.scenario === s);
    if (!o) return '—';
    if (o.status === 'fail') return '**FAIL**';
    return o.ms === undefined ? 'pass' : `pass, ${o.ms} ms`;
  };
  const passed = outcomes.filter((o) => o.status === 'pass').length;
  const lines = [
    `Last run: ${meta.date}, ${passed} of ${outcomes.length} cells passed in ${meta.seconds} s (${meta.versions}).`,
    'A cell is one call; "ms" is accept → first media both ways (inbound RTP on both sides, and decoded frames for video), polled every 20 ms.',
    '',
    `| scenario | ${profiles.join(' | ')} |`,
    `|---|${profiles.map(() => '---').join('|')}|`,
    ...scenarios.map((s) => `| ${s} | ${profiles.map((p) => cell(p, s)).join(' | ')} |`),
    `| median accept → media | ${profiles.map((p) => { const m = median(outcomes.filter((o) => o.profile === p && o.ms !== undefined).map((o) => o.ms!)); return m === undefined ? '—' : `${m} ms`; }).join(' | ')} |`,
  ];
  return lines.join('\n');
}

export default class InteropReport implements Reporter {
  private readonly outcomes: Outcome[] = [];
  private readonly started = Date.now();

  onTestEnd(test: TestCase, result: TestResult): void {
    const profile = test.parent.title.match(PROFILE_TITLE)?.[1];
    if (!profile) return;
    const note = [...result.annotations, ...test.annotations].find((a) => a.type === 'interop-cell');
    const ms = note?.description ? (JSON.parse(note.description) as { ms?: number }).ms : undefined;
    const status = result.status === 'passed' ? 'pass' : 'fail';
    // A retried cell keeps its last outcome.
    const i = this.outcomes.findIndex((o) => o.profile === profile && o.scenario === test.title);
    const outcome: Outcome = { profile, scenario: test.title, status, ...(ms !== undefined ? { ms } : {}), ...(result.error?.message ? { error: result.error.message.split('\n')[0]! } : {}) };
    if (i >= 0) this.outcomes[i] = outcome;
    else this.outcomes.push(outcome);
  }

  onEnd(result: FullResult): void {
    if (this.outcomes.length === 0) return;
    const pkg = (name: string) => (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
    const meta = {
      date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
      seconds: Math.round((Date.now() - this.started) / 1000),
      versions: `StanzaJS ${pkg('stanza')}, Playwright ${pkg('@playwright/test')}`,
    };
    mkdirSync(join(ROOT, 'bench-results'), { recursive: true });
    writeFileSync(join(ROOT, 'bench-results', 'interop.json'), JSON.stringify({ ...meta, status: result.status, outcomes: this.outcomes }, null, 2) + '\n');
    if (!process.env.JINGLE_LAB_INTEROP_REPORT) return;
    const doc = join(ROOT, 'docs', 'interop.md');
    const text = readFileSync(doc, 'utf8');
    const [before, rest] = text.split(START);
    const after = rest?.split(END)[1];
    if (before === undefined || after === undefined) {
      console.error(`docs/interop.md lacks the ${START} … ${END} markers; the matrix was not written there.`);
      return;
    }
    writeFileSync(doc, `${before}${START}\n${matrixMarkdown(this.outcomes, meta)}\n${END}${after}`);
    console.log('The interop matrix is in docs/interop.md.');
  }
}
