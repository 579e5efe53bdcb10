// The Markdown report of a call, pinned on Dino 0.4.2's real session-accept
// (vectors/dino/session-accept-callee-audio.xml), once as sent and once
// without the setup attribute XEP-0320 requires.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CALL_FEATURES } from '../src/call/capabilities.ts';
import { RECORDING_FORMAT, type CallRecording, type RecordedStanza } from '../src/inspector/recording.ts';
import { MAX_STANZA_CHARS, reportMarkdown } from '../src/inspector/report.ts';
import { summarise } from '../src/inspector/summary.ts';

const SID = '9e71a69b-7975-4b44-b811-8358f7ece4e4';
const dinoAccept = readFileSync(new URL('./vectors/dino/session-accept-callee-audio.xml', import.meta.url), 'utf8')
  .replace(/<!--[\s\S]*?-->/g, '')
  .trim();
const withoutSetup = dinoAccept.replace(" setup='active'", '');

/** Our session-initiate to Dino: one audio content, BUNDLE, rtcp-mux, a source, actpass. */
const initiate =
  `<iq xmlns='jabber:client' type='set' id='i1' to='bob@localhost/dino'><jingle xmlns='urn:xmpp:jingle:1' action='session-initiate' sid='${SID}'>` +
  `<content creator='initiator' name='0'><description xmlns='urn:xmpp:jingle:apps:rtp:1' media='audio'><rtcp-mux/>` +
  `<payload-type id='111' name='opus' clockrate='48000' channels='2'/><source xmlns='urn:xmpp:jingle:apps:rtp:ssma:0' ssrc='1814027955'/></description>` +
  `<transport xmlns='urn:xmpp:jingle:transports:ice-udp:1' ufrag='K8ng' pwd='rACDVha/aHJYsQ+4yotPNxC9'>` +
  `<fingerprint xmlns='urn:xmpp:jingle:apps:dtls:0' hash='sha-256' setup='actpass'>A0:F1:66:F7</fingerprint></transport></content>` +
  `<group xmlns='urn:xmpp:jingle:apps:grouping:0' semantics='BUNDLE'><content name='0'/></group></jingle></iq>`;

function recording(accept: string, more: Partial<CallRecording> = {}): CallRecording {
  const stanzas: RecordedStanza[] = [
    { at: 0, direction: 'out', xml: initiate },
    { at: 40, direction: 'in', xml: accept },
  ];
  return {
    format: RECORDING_FORMAT,
    sid: SID,
    self: 'alice@localhost/peer-alice',
    peer: 'bob@localhost/dino',
    direction: 'outgoing',
    media: 'audio',
    startedAt: Date.UTC(2026, 10, 23, 21, 10, 31),
    stanzas,
    sdps: [],
    timeline: [{ name: 'ice-connected', at: 180 }],
    samples: [],
    clients: { ours: { name: 'Jingle Lab', version: '0.1.0', source: 'self' }, peer: { name: 'Dino', version: '0.4.2', os: 'Linux', source: 'xep-0092' } },
    features: { ours: [...CALL_FEATURES] },
    outcome: 'failed',
    endReason: 'The call could not be encrypted',
    ...more,
  };
}

const report = (r: CallRecording) => reportMarkdown(r, summarise(r));

describe('the Markdown report of a call', () => {
  it('names both clients with their versions, and the call', () => {
    const text = report(recording(withoutSetup));
    expect(text).toMatch(/^## Jingle call: Jingle Lab → Dino\n/);
    expect(text).toContain('- **Our client:** Jingle Lab 0.1.0');
    expect(text).toContain('- **Peer’s client:** Dino 0.4.2 (Linux), from XEP-0092');
    expect(text).toContain('- **Call:** outgoing audio call, outcome failed, ended: The call could not be encrypted');
  });

  it('holds the features table, one row per feature', () => {
    const text = report(recording(dinoAccept));
    expect(text).toContain('| feature | ours | peer | status |\n|---|---|---|---|\n| XEP-0353 ringing (Jingle Message Initiation) |');
    expect(text).toContain('| rtcp-mux | yes | yes | used |');
    expect(text).toContain('| BUNDLE | yes | no | missing |');
    // Escaped, or a Markdown renderer takes it for an HTML tag and shows nothing.
    expect(text).toContain('| &lt;ringing/&gt; | yes | ? | offered |');
  });

  it('tells the codec, the DTLS roles, the candidates and the timeline', () => {
    const text = report(recording(dinoAccept));
    expect(text).toContain('- audio: opus/48000/2 (chosen by the peer)\n- video: none');
    expect(text).toContain('- ours: setup actpass, sha-256\n- peer: setup active, sha-256');
    expect(text).toContain('- remote: 2 host, 0 srflx, 0 prflx, 0 relay');
    expect(text).toContain('| session-initiate | 0 |\n| session-accept | 40 |\n| ICE connected | 180 |');
  });

  it('says where it broke and quotes the session-accept that lacks setup', () => {
    const text = report(recording(withoutSetup));
    expect(text).toContain('- peer: setup **missing**, sha-256');
    expect(text).toContain('### Where it broke\n\n- the peer’s session-accept carried no `setup` attribute');
    expect(text).toContain(`### Failing stanza (received at 40 ms)\n\n\`\`\`xml\n${withoutSetup}\n\`\`\`\n`);
  });

  it('says no failure was seen for a call that went well', () => {
    const text = report(recording(dinoAccept, { outcome: 'connected', endReason: undefined }));
    expect(text).toContain('### Where it broke\n\nNo failure seen.');
    expect(text).not.toContain('```xml');
  });

  it('cuts a long failing stanza short', () => {
    const candidate = `<candidate component='1' foundation='1' ip='10.233.0.1' port='36511' priority='2015363327' protocol='udp' type='host'/>`;
    const long = withoutSetup.replace('</transport>', `${candidate.repeat(60)}</transport>`);
    expect(long.length).toBeGreaterThan(MAX_STANZA_CHARS);
    const text = report(recording(long));
    const quoted = text.slice(text.indexOf('```xml'));
    expect(quoted).toContain(`<!-- truncated: ${long.length} characters in all -->`);
    expect(quoted.length).toBeLessThan(MAX_STANZA_CHARS + 100);
  });

  it('keeps a peer’s client name from breaking the table or the page', () => {
    const r = recording(dinoAccept, { clients: { ours: { name: 'Jingle Lab', source: 'self' }, peer: { name: 'Evil | <b>client</b>', source: 'caps' } } });
    expect(report(r)).toContain('- **Peer’s client:** Evil \\| &lt;b&gt;client&lt;/b&gt;, from its caps identity: no version known');
  });
});
