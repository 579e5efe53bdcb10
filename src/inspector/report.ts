// A call's summary as Markdown, to paste into another project's issue
// tracker: who talked to whom, what each side did, and where the call broke,
// with the stanza it broke on. Addresses are masked before this, not here.
import type { CallRecording, ClientVersion, SelectedPair } from './recording.ts';
import type { CallSummary, CandidateCounts, ChosenCodec, DtlsRole } from './summary.ts';

/** Longest stanza quoted: an issue stays readable, and a whole session-initiate fits. */
export const MAX_STANZA_CHARS = 4000;

/** Text from the network, made safe for one line or one table cell of Markdown. */
function cell(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '\\|').trim();
}

function client(c: ClientVersion | undefined): string {
  if (!c) return 'unknown (it answered neither XEP-0092 nor disco#info)';
  const version = [c.name, c.version].filter(Boolean).join(' ') + (c.os ? ` (${c.os})` : '');
  const source = c.source === 'xep-0092' ? ', from XEP-0092' : c.source === 'caps' ? ', from its caps identity: no version known' : '';
  return cell(version) + source;
}

const yesNo = (v: boolean | undefined) => (v === undefined ? '?' : v ? 'yes' : 'no');

function codec(c: ChosenCodec | undefined): string {
  if (!c) return 'none';
  const name = [c.name ?? `payload type ${c.id}`, c.clockrate, c.channels].filter((v) => v !== undefined).join('/');
  return `${cell(name)} (chosen by ${c.chosenBy === 'ours' ? 'us' : 'the peer'})`;
}

function dtls(role: DtlsRole | undefined): string {
  if (!role) return 'no fingerprint';
  return `setup ${role.setup ?? '**missing**'}, ${cell(role.hash)}`;
}

const counts = (c: CandidateCounts) =>
  Object.entries(c)
    .map(([type, n]) => `${n} ${type}`)
    .join(', ');

function pair(selected: SelectedPair | undefined): string {
  if (!selected) return 'none';
  return cell(`${selected.localType} ⇄ ${selected.remoteType}`) + (selected.protocol ? ` (${cell(selected.protocol)})` : '');
}

function duration(ms: number | undefined): string {
  return ms === undefined ? '' : `, lasted ${(ms / 1000).toFixed(1)} s`;
}

/** A fence longer than any run of backticks in the text, so the text cannot close it. */
function fenced(lang: string, text: string): string[] {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return [fence + lang, text, fence];
}

function quoted(xml: string): string {
  if (xml.length <= MAX_STANZA_CHARS) return xml;
  return `${xml.slice(0, MAX_STANZA_CHARS)}\n<!-- truncated: ${xml.length} characters in all -->`;
}

/** The summary of a call as a short Markdown report for a bug tracker. */
export function reportMarkdown(recording: CallRecording, summary: CallSummary): string {
  const peerName = summary.peerClient ? cell(summary.peerClient.name) : 'unknown client';
  const arrow = recording.direction === 'incoming' ? '←' : '→';
  const outcome = summary.outcome ?? 'unknown';
  const ended = summary.endReason ? `, ended: ${cell(summary.endReason)}` : '';
  const failing = summary.diagnoses.find((d) => d.stanza)?.stanza;

  const lines = [
    `## Jingle call: ${cell(summary.ourClient.name)} ${arrow} ${peerName}`,
    '',
    `- **Our client:** ${client(summary.ourClient)}`,
    `- **Peer’s client:** ${client(summary.peerClient)}`,
    `- **Call:** ${recording.direction} ${recording.media} call, outcome ${outcome}${ended}${duration(summary.durationMs)}`,
    '',
    '### Features',
    '',
    '| feature | ours | peer | status |',
    '|---|---|---|---|',
    ...summary.features.map((f) => `| ${cell(f.feature)} | ${yesNo(f.ours)} | ${yesNo(f.peer)} | ${f.status} |`),
    '',
    '### Codecs',
    '',
    `- audio: ${codec(summary.codecs.audio)}`,
    `- video: ${codec(summary.codecs.video)}`,
    '',
    '### DTLS',
    '',
    `- ours: ${dtls(summary.dtls.ours)}`,
    `- peer: ${dtls(summary.dtls.peer)}`,
    '',
    '### Candidates',
    '',
    `- local: ${counts(summary.candidates.local)}`,
    `- remote: ${counts(summary.candidates.remote)}`,
    `- selected pair: ${pair(summary.candidates.selected)}`,
    '',
    '### Timeline',
    '',
    ...(summary.phases.length ? ['| phase | ms |', '|---|---|', ...summary.phases.map((p) => `| ${p.phase} | ${Math.round(p.at)} |`)] : ['Nothing recorded.']),
    '',
    '### Where it broke',
    '',
    ...(summary.diagnoses.length ? summary.diagnoses.map((d) => `- ${d.cause} (\`${d.rule}\`)`) : ['No failure seen.']),
  ];
  if (failing) {
    lines.push('', `### Failing stanza (${failing.direction === 'in' ? 'received' : 'sent'} at ${Math.round(failing.at)} ms)`, '', ...fenced('xml', quoted(failing.xml)));
  }
  return `${lines.join('\n')}\n`;
}
