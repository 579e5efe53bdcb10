// Figures of the call benchmark: per call from both pages' timelines (one
// clock), summarised as median and p95, written as a table, JSON, Markdown and SVG.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { TRANSIT_HOPS, TRANSIT_PARTS } from './benchmark-transit.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(root, 'bench-results');

/** The phases from the callee's Accept to media, in order: [label, from, to] on the caller (c) or callee (e). */
export const PHASES = [
  ['accept → proceed at caller', 'e:accept', 'c:proceed-received'],
  ['proceed → session-initiate sent', 'c:proceed-received', 'c:session-initiate-sent'],
  ['session-initiate through the server', 'c:session-initiate-sent', 'e:session-initiate-received'],
  ['callee answers', 'e:session-initiate-received', 'e:session-accept-sent'],
  ['session-accept through the server', 'e:session-accept-sent', 'c:session-accept-received'],
  ['ICE connects (caller)', 'c:session-accept-received', 'c:ice-connected'],
  ['DTLS connects (caller)', 'c:ice-connected', 'c:dtls-connected'],
  ['to first media both ways', 'c:dtls-connected', 'media'],
];

const at = (call, ref) => {
  if (ref === 'media') return mediaAt(call);
  const [side, name] = ref.split(':');
  return (side === 'c' ? call.caller : call.callee).find((e) => e.name === name)?.at;
};
const mediaAt = (call) => {
  const name = call.media === 'video' ? 'first-frame-decoded' : 'first-audio-in';
  return Math.max(at(call, `c:${name}`), at(call, `e:${name}`));
};
const since = (call, from, to) => {
  const [a, b] = [at(call, from), at(call, to)];
  return a === undefined || b === undefined ? undefined : b - a;
};

/** The callee's Accept to media flowing into both sides. */
export const acceptToMedia = (call) => since(call, 'e:accept', 'media');

function figures(call) {
  const f = {
    'click → ringing on screen': since(call, 'c:call-started', 'e:ringing-shown'),
    'click → propose sent': since(call, 'c:call-started', 'c:propose-sent'),
    'click → receipt/ringing at caller': since(call, 'c:call-started', 'c:ringing-received'),
    'accept → first audio in (caller)': since(call, 'e:accept', 'c:first-audio-in'),
    'accept → first audio in (callee)': since(call, 'e:accept', 'e:first-audio-in'),
  };
  if (call.media === 'video') {
    Object.assign(f, {
      'accept → first video in (caller)': since(call, 'e:accept', 'c:first-video-in'),
      'accept → first video in (callee)': since(call, 'e:accept', 'e:first-video-in'),
      'accept → first frame decoded (caller)': since(call, 'e:accept', 'c:first-frame-decoded'),
      'accept → first frame decoded (callee)': since(call, 'e:accept', 'e:first-frame-decoded'),
    });
  }
  f['accept → media (both sides)'] = since(call, 'e:accept', 'media');
  f['  callee: accept → devices open'] = since(call, 'e:accept', 'e:devices-open');
  f['  callee: session-initiate → devices open'] = since(call, 'e:session-initiate-received', 'e:devices-open');
  for (const [label, from, to] of PHASES) f[`  ${label}`] = since(call, from, to);
  f['stanzas sent (both sides)'] = call.stanzas.caller.length + call.stanzas.callee.length;
  f['stanzas sent (caller)'] = call.stanzas.caller.length;
  f['stanzas sent (callee)'] = call.stanzas.callee.length;
  f['stream-management nonzas sent'] = call.nonzas;
  return f;
}

const quantile = (values, q) => {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return undefined;
  return v[Math.min(v.length - 1, Math.ceil(q * v.length) - 1)];
};
const stats = (values) => ({ median: quantile(values, 0.5), p95: quantile(values, 0.95), n: values.length });

export function summarise({ calls, floor, stanzaCalls, roster, loads, heapAfterLogin, heapAfterCalls, size, chromium, callsPerKind, recordingCost }) {
  const byKind = {};
  for (const media of ['audio', 'video']) {
    const mine = calls.filter((c) => c.media === media);
    const warm = mine.slice(1).map(figures);
    const names = Object.keys(warm[0] ?? figures(mine[0]));
    const floorValues = floor[media].map((r) => (media === 'video' ? r.frame : r.audio));
    const ours = warm.map((f) => f['accept → media (both sides)']);
    // The first StanzaJS call of each kind is as cold as our first: left out likewise.
    const theirs = stanzaCalls?.[media].slice(1);
    const theirsToMedia = theirs?.map(acceptToMedia);
    const kinds = {};
    for (const c of mine.slice(1)) for (const k of [...c.stanzas.caller, ...c.stanzas.callee]) kinds[k] = (kinds[k] ?? 0) + 1 / (mine.length - 1);
    byKind[media] = {
      cold: figures(mine[0]),
      warm: Object.fromEntries(names.map((n) => [n, stats(warm.map((f) => f[n]))])),
      floor: stats(floorValues),
      oursMinusFloor: { median: quantile(ours, 0.5) - quantile(floorValues, 0.5), p95: quantile(ours, 0.95) - quantile(floorValues, 0.95) },
      oursOverFloor: { median: quantile(ours, 0.5) / quantile(floorValues, 0.5), p95: quantile(ours, 0.95) / quantile(floorValues, 0.95) },
      stanzaPair: theirsToMedia && stats(theirsToMedia),
      oursOverStanza: theirsToMedia && { median: quantile(ours, 0.5) / quantile(theirsToMedia, 0.5), p95: quantile(ours, 0.95) / quantile(theirsToMedia, 0.95) },
      // The same phases of the StanzaJS pair's calls, where its pages mark them.
      stanzaPhases: theirs && Object.fromEntries(PHASES.map(([label, from, to]) => [label, stats(theirs.map((c) => since(c, from, to)))])),
      coldOverWarm: figures(mine[0])['accept → media (both sides)'] / quantile(ours, 0.5),
      p95OverMedian: quantile(ours, 0.95) / quantile(ours, 0.5),
      // Each stanza's way from one page's step to the other's, in parts (benchmark-transit.mjs).
      transit: Object.fromEntries(TRANSIT_HOPS.map((hop) => [hop, Object.fromEntries(TRANSIT_PARTS.map((part) => [part, stats(mine.slice(1).map((c) => c.transit?.[hop]?.[part]))]))])),
      stanzaKindsPerCall: kinds,
    };
  }
  return {
    date: new Date().toISOString(),
    machine: { cpu: os.cpus()[0]?.model, cores: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, chromium },
    callsPerKind,
    byKind,
    pageLoadToContactsMs: { first: loads.first, ...stats(loads.again) },
    heap: { afterLogin: heapAfterLogin, afterCalls: heapAfterCalls },
    // The inspector's recorder on and off, audio calls taken in turns: its cost is the ratio.
    recordingCost: recordingCost && {
      on: stats(recordingCost.on),
      off: stats(recordingCost.off),
      ratio: quantile(recordingCost.on, 0.5) / quantile(recordingCost.off, 0.5),
    },
    buildSize: size,
    roster,
    aims: {
      audioWithin50msOfFloor: byKind.audio.oursMinusFloor.median <= 50,
      videoWithin80msOfFloor: byKind.video.oursMinusFloor.median <= 80,
      p95AtMost1_5xMedian: byKind.audio.p95OverMedian <= 1.5 && byKind.video.p95OverMedian <= 1.5,
      atMost0_6xStanzaJs: Boolean(stanzaCalls) && byKind.audio.oursOverStanza.median <= 0.6 && byKind.video.oursOverStanza.median <= 0.6,
      coldAtMost1_5xWarm: byKind.audio.coldOverWarm <= 1.5 && byKind.video.coldOverWarm <= 1.5,
      pageLoadAtMost300ms: quantile(loads.again, 0.5) <= 300,
      initialJsAtMost120KBGzip: size.initialJs.gzip <= 120 * 1024,
      roster1000NoTaskOver100ms: rosterAt(roster, 1000)?.longestTaskMs <= 100,
      roster1000ListWithin500ms: rosterAt(roster, 1000)?.listShownMs <= 500,
      atMost24StanzasPerCall: Math.max(byKind.audio.warm['stanzas sent (both sides)'].median, byKind.video.warm['stanzas sent (both sides)'].median) <= 24,
    },
    calls,
  };
}

/** The production build's size: of `builtDir` when given, else of a build made for it. */
const rosterAt = (roster, contacts) => roster?.sizes.find((r) => r.contacts === contacts);

export async function buildSize(builtDir) {
  const outDir = builtDir ?? (await mkdtemp(join(os.tmpdir(), 'jingle-lab-build-')));
  try {
    if (!builtDir) await build({ root, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
    const files = await readdir(join(outDir, 'assets'));
    // What the page loads at once is what index.html names; the rest (the inspector) loads when first opened.
    const html = await readFile(join(outDir, 'index.html'), 'utf8');
    const size = { js: { raw: 0, gzip: 0 }, css: { raw: 0, gzip: 0 }, initialJs: { raw: 0, gzip: 0 } };
    for (const file of files) {
      const kind = file.endsWith('.js') ? 'js' : file.endsWith('.css') ? 'css' : undefined;
      if (!kind) continue;
      const bytes = await readFile(join(outDir, 'assets', file));
      const gzip = gzipSync(bytes).length;
      size[kind].raw += bytes.length;
      size[kind].gzip += gzip;
      if (kind === 'js' && html.includes(`/assets/${file}`)) {
        size.initialJs.raw += bytes.length;
        size.initialJs.gzip += gzip;
      }
    }
    return size;
  } finally {
    if (!builtDir) await rm(outDir, { recursive: true, force: true });
  }
}

const ms = (x) => (x === undefined || !Number.isFinite(x) ? 'n/a' : x.toFixed(1));

function table(r) {
  const rows = [['figure (ms, warm calls)', 'audio median', 'audio p95', 'video median', 'video p95']];
  const names = [...new Set([...Object.keys(r.byKind.audio.warm), ...Object.keys(r.byKind.video.warm)])];
  for (const n of names) {
    const a = r.byKind.audio.warm[n];
    const v = r.byKind.video.warm[n];
    const stanza = n.startsWith('stanzas') || n.startsWith('stream-management');
    const fmt = (x) => (stanza ? (x === undefined ? 'n/a' : String(x)) : ms(x));
    rows.push([n, fmt(a?.median), fmt(a?.p95), fmt(v?.median), fmt(v?.p95)]);
  }
  rows.push(['floor: createOffer → media both ways', ms(r.byKind.audio.floor.median), ms(r.byKind.audio.floor.p95), ms(r.byKind.video.floor.median), ms(r.byKind.video.floor.p95)]);
  rows.push(['accept → media, ours − floor', ms(r.byKind.audio.oursMinusFloor.median), ms(r.byKind.audio.oursMinusFloor.p95), ms(r.byKind.video.oursMinusFloor.median), ms(r.byKind.video.oursMinusFloor.p95)]);
  rows.push(['accept → media, ours / floor', r.byKind.audio.oursOverFloor.median.toFixed(2), r.byKind.audio.oursOverFloor.p95.toFixed(2), r.byKind.video.oursOverFloor.median.toFixed(2), r.byKind.video.oursOverFloor.p95.toFixed(2)]);
  if (r.byKind.audio.stanzaPair) {
    const pair = (m, q) => ms(r.byKind[m].stanzaPair[q]);
    const ratio = (m, q) => r.byKind[m].oursOverStanza[q].toFixed(2);
    rows.push(['StanzaJS pair: accept → media both ways', pair('audio', 'median'), pair('audio', 'p95'), pair('video', 'median'), pair('video', 'p95')]);
    rows.push(['accept → media, ours / StanzaJS pair', ratio('audio', 'median'), ratio('audio', 'p95'), ratio('video', 'median'), ratio('video', 'p95')]);
    for (const [label] of PHASES) {
      const phase = (m, q) => ms(r.byKind[m].stanzaPhases?.[label]?.[q]);
      rows.push([`  StanzaJS pair: ${label}`, phase('audio', 'median'), phase('audio', 'p95'), phase('video', 'median'), phase('video', 'p95')]);
    }
  }
  for (const hop of TRANSIT_HOPS) {
    for (const [part, words] of [['sendingPage', 'on the sending page'], ['server', 'server and wire'], ['receivingPage', 'on the receiving page'], ['busySender', 'long tasks, sender'], ['busyReceiver', 'long tasks, receiver']]) {
      const a = r.byKind.audio.transit?.[hop]?.[part];
      const v = r.byKind.video.transit?.[hop]?.[part];
      if (!a?.n && !v?.n) continue;
      rows.push([`${hop}: ${words}`, ms(a?.median), ms(a?.p95), ms(v?.median), ms(v?.p95)]);
    }
  }
  rows.push(['cold first call: click → ringing', ms(r.byKind.audio.cold['click → ringing on screen']), '', ms(r.byKind.video.cold['click → ringing on screen']), '']);
  rows.push(['cold first call: accept → media', ms(r.byKind.audio.cold['accept → media (both sides)']), '', ms(r.byKind.video.cold['accept → media (both sides)']), '']);
  rows.push(['cold / warm accept → media', r.byKind.audio.coldOverWarm.toFixed(2), '', r.byKind.video.coldOverWarm.toFixed(2), '']);
  return rows;
}

function svg(r) {
  const colours = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7'];
  const bars = ['audio', 'video'].map((m) => ({ label: `${m} (warm, median)`, parts: PHASES.map(([label]) => Math.max(0, r.byKind[m].warm[`  ${label}`]?.median ?? 0)) }));
  for (const m of ['audio', 'video']) {
    bars.push({ label: `${m} floor (median)`, parts: [r.byKind[m].floor.median ?? 0], single: ['#999', 'floor'] });
    if (r.byKind[m].stanzaPair) bars.push({ label: `${m} StanzaJS pair (median)`, parts: [r.byKind[m].stanzaPair.median ?? 0], single: ['#555', 'StanzaJS pair'] });
  }
  const max = Math.max(...bars.map((b) => b.parts.reduce((x, y) => x + y, 0)));
  const width = 760, left = 170, scale = (width - left - 60) / max, rowH = 34;
  const height = 40 + bars.length * rowH + 24 * Math.ceil(PHASES.length / 2) + 20;
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<text x="10" y="20" font-size="14" font-weight="bold">Accept → first media, by phase (ms)</text>`];
  bars.forEach((bar, i) => {
    const y = 36 + i * rowH;
    out.push(`<text x="10" y="${y + 16}">${bar.label}</text>`);
    let x = left;
    bar.parts.forEach((p, j) => {
      out.push(`<rect x="${x.toFixed(1)}" y="${y}" width="${(p * scale).toFixed(1)}" height="22" fill="${bar.single?.[0] ?? colours[j]}"><title>${bar.single?.[1] ?? PHASES[j][0]}: ${p.toFixed(1)} ms</title></rect>`);
      x += p * scale;
    });
    out.push(`<text x="${(x + 4).toFixed(1)}" y="${y + 16}">${bar.parts.reduce((a, b) => a + b, 0).toFixed(0)}</text>`);
  });
  PHASES.forEach(([label], j) => {
    const y = 48 + bars.length * rowH + Math.floor(j / 2) * 24;
    const x = 10 + (j % 2) * 370;
    out.push(`<rect x="${x}" y="${y - 11}" width="14" height="14" fill="${colours[j]}"/><text x="${x + 20}" y="${y}">${label}</text>`);
  });
  if (r.roster?.sizes.length) out.push(...rosterCurve(r.roster.sizes, height));
  out.push('</svg>');
  return out.join('\n').replace(/height="\d+" font-family/, `height="${height + (r.roster?.sizes.length ? ROSTER_CHART_H : 0)}" font-family`);
}

const ROSTER_CHART_H = 230;

/** The roster part as two curves over the roster's size (log scale): list shown after login, and the longest task. */
function rosterCurve(sizes, top) {
  const left = 70, width = 620, h = 150, y0 = top + 40;
  const xs = sizes.map((s) => Math.log10(s.contacts));
  const [xmin, xmax] = [Math.min(...xs), Math.max(...xs)];
  const ymax = Math.max(100, ...sizes.flatMap((s) => [s.listShownMs ?? 0, s.longestTaskMs ?? 0])) * 1.1;
  const px = (c) => left + ((Math.log10(c) - xmin) / Math.max(1e-9, xmax - xmin)) * width;
  const py = (ms) => y0 + h - (ms / ymax) * h;
  const out = [`<text x="10" y="${top + 20}" font-size="14" font-weight="bold">Roster of N contacts, ${sizes[0].online}–${sizes.at(-1).online} devices coming online (ms)</text>`,
    `<line x1="${left}" y1="${y0 + h}" x2="${left + width}" y2="${y0 + h}" stroke="#333"/>`, `<line x1="${left}" y1="${y0}" x2="${left}" y2="${y0 + h}" stroke="#333"/>`,
    `<line x1="${left}" y1="${py(100)}" x2="${left + width}" y2="${py(100)}" stroke="#e15759" stroke-dasharray="4 3"/><text x="${left + width + 4}" y="${py(100) + 4}">100</text>`];
  for (const s of sizes) out.push(`<text x="${px(s.contacts) - 14}" y="${y0 + h + 16}">${s.contacts}</text>`);
  for (const [key, colour, label, dash] of [['listShownMs', '#4e79a7', 'list shown after login', ''], ['longestTaskMs', '#f28e2b', 'longest main-thread task', '6 3']]) {
    const points = sizes.filter((s) => Number.isFinite(s[key])).map((s) => `${px(s.contacts).toFixed(1)},${py(s[key]).toFixed(1)}`);
    out.push(`<polyline fill="none" stroke="${colour}" stroke-width="2" ${dash ? `stroke-dasharray="${dash}"` : ''} points="${points.join(' ')}"><title>${label}</title></polyline>`);
    for (const s of sizes) if (Number.isFinite(s[key])) out.push(`<circle cx="${px(s.contacts).toFixed(1)}" cy="${py(s[key]).toFixed(1)}" r="3" fill="${colour}"><title>${label}, ${s.contacts}: ${s[key]} ms</title></circle>`);
  }
  out.push(`<rect x="${left}" y="${y0 + h + 26}" width="14" height="4" fill="#4e79a7"/><text x="${left + 20}" y="${y0 + h + 32}">list shown after login</text>`,
    `<rect x="${left + 220}" y="${y0 + h + 26}" width="14" height="4" fill="#f28e2b"/><text x="${left + 240}" y="${y0 + h + 32}">longest main-thread task</text>`);
  return out;
}

export async function report(r) {
  const rows = table(r);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => String(row[i]).length)));
  console.log('');
  for (const row of rows) console.log(row.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  '));
  const extra = [
    `page load → usable contact list (production build): returning visit median ${ms(r.pageLoadToContactsMs.median)} ms, p95 ${ms(r.pageLoadToContactsMs.p95)} (${r.pageLoadToContactsMs.n} visits); first visit ${ms(r.pageLoadToContactsMs.first)} ms`,
    `JS heap after login: alice ${(r.heap.afterLogin.alice / 2 ** 20).toFixed(1)} MiB, bob ${(r.heap.afterLogin.bob / 2 ** 20).toFixed(1)} MiB; after all calls: alice ${(r.heap.afterCalls.alice / 2 ** 20).toFixed(1)} MiB, bob ${(r.heap.afterCalls.bob / 2 ** 20).toFixed(1)} MiB`,
    ...(r.recordingCost
      ? [`inspector recording: accept → media median ${ms(r.recordingCost.on.median)} ms recording, ${ms(r.recordingCost.off.median)} ms not (${r.recordingCost.on.n} + ${r.recordingCost.off.n} audio calls in turns): ratio ${r.recordingCost.ratio.toFixed(2)}`]
      : []),
    `production build: JS ${r.buildSize.js.raw} B (${r.buildSize.js.gzip} B gzip), of which loaded at start ${r.buildSize.initialJs.raw} B (${r.buildSize.initialJs.gzip} B gzip), CSS ${r.buildSize.css.raw} B (${r.buildSize.css.gzip} B gzip)`,
    ...['audio', 'video'].map((m) => `stanzas per warm ${m} call by kind (both sides): ${Object.entries(r.byKind[m].stanzaKindsPerCall).map(([k, v]) => `${k} ${+v.toFixed(1)}`).join(', ')}`),
    `aims: ${Object.entries(r.aims).map(([aim, met]) => `${aim} ${met ? 'met' : 'NOT met'}`).join('; ')}`,
    `machine: ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.memoryGiB} GiB, Node ${r.machine.node}, Chromium ${r.machine.chromium}`,
  ];
  for (const line of extra) console.log(line);
  await mkdir(OUT, { recursive: true });
  await writeFile(join(OUT, 'latest.json'), JSON.stringify(r, null, 2));
  const md = [`# Jingle Lab call benchmark, ${r.date}`, '', `${r.callsPerKind} calls of each kind; the first of each kind (cold) is not in the medians.`, '',
    `| ${rows[0].join(' | ')} |`, `|${rows[0].map(() => '---').join('|')}|`, ...rows.slice(1).map((row) => `| ${row.join(' | ')} |`), '', ...extra.map((l) => `- ${l}`), '',
    ...(r.roster ? ['## Roster scale', '', '| contacts | devices online | list shown (ms after login) | longest task (ms) | tasks > 50 ms | all caps known (ms) | disco#info sent | most in flight |', '|---|---|---|---|---|---|---|---|',
      ...r.roster.sizes.map((s) => `| ${s.contacts} | ${s.online} | ${s.listShownMs} | ${s.longestTaskMs} | ${s.longTasks} | ${s.allKnown ? s.capsKnownMs : `> ${s.capsKnownMs}`} | ${s.discoQueries} | ${s.discoMaxInFlight} |`), ''] : [])].join('\n');
  await writeFile(join(OUT, 'latest.md'), md);
  await writeFile(join(OUT, 'latest.svg'), svg(r));
  console.log(`\nWritten: bench-results/latest.json, latest.md, latest.svg`);
}
