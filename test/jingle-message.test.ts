import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { JingleError, jingleMessageElement, parseXml, readJingleMessage } from '../src/jingle/index.ts';

const vector = (name: string) => parseXml(readFileSync(new URL(`./vectors/xep/${name}.xml`, import.meta.url), 'utf8').replace(/<!--[\s\S]*?-->/g, '').trim());
const ID = 'ca3cf894-5325-482f-a412-a6e9f832298d';

describe('XEP-0353 messages', () => {
  it.each([
    ['xep0353-propose-audio', { kind: 'propose', id: ID, media: ['audio'], tieBreak: false }],
    ['xep0353-ringing', { kind: 'ringing', id: ID, media: [], tieBreak: false }],
    ['xep0353-proceed', { kind: 'proceed', id: ID, media: [], tieBreak: false }],
    ['xep0353-reject-busy', { kind: 'reject', id: ID, media: [], reason: { condition: 'busy', text: 'Busy' }, tieBreak: false }],
    ['xep0353-retract-cancel', { kind: 'retract', id: ID, media: [], reason: { condition: 'cancel', text: 'Retracted' }, tieBreak: false }],
    ['xep0353-finish-success', { kind: 'finish', id: ID, media: [], reason: { condition: 'success', text: 'Success' }, tieBreak: false }],
  ])('reads the XEP’s %s and writes it back the same', (name, expected) => {
    const read = readJingleMessage(vector(name));
    expect(read).toEqual(expected);
    expect(readJingleMessage(parseXml(`<message>${jingleMessageElement(read!).toString()}</message>`))).toEqual(expected);
  });

  it('reads the namespace of XEP-0353’s registrar section too', () => {
    const m = parseXml(`<message><proceed xmlns='urn:xmpp:jingle:jingle-message:0' id='x'/></message>`);
    expect(readJingleMessage(m)?.kind).toBe('proceed');
  });

  it('reads a tie-break retract', () => {
    const m = parseXml(`<message><retract xmlns='urn:xmpp:jingle-message:0' id='b'><reason xmlns='urn:xmpp:jingle:1'><expired/><text>Tie-Break</text></reason><tie-break/></retract></message>`);
    expect(readJingleMessage(m)).toMatchObject({ kind: 'retract', reason: { condition: 'expired' }, tieBreak: true });
  });

  it('carries nothing for a message without one, and refuses one without an id', () => {
    expect(readJingleMessage(parseXml(`<message><body>hi</body></message>`))).toBeUndefined();
    expect(() => readJingleMessage(parseXml(`<message><propose xmlns='urn:xmpp:jingle-message:0'/></message>`))).toThrow(JingleError);
  });
});
