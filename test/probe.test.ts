import { describe, expect, it } from 'vitest';
import { type ProbeConnection, sendProbe } from '../src/inspector/probe';
import { IqError } from '../src/xmpp/connection';
import { parseXml, type Element } from '../src/jingle/xml';

function fake(answer?: (iq: Element) => Element | Error) {
  const sent: string[] = [];
  const connection: ProbeConnection = {
    async send(stanza) {
      sent.push(stanza.toString());
    },
    async request(iq) {
      sent.push(iq.toString());
      const reply = answer?.(iq) ?? new IqError('remote-server-timeout');
      if (reply instanceof Error) throw reply;
      return reply;
    },
  };
  return { connection, sent };
}

describe('sending a hand-written stanza', () => {
  it('refuses two stanzas at once, and sends neither', async () => {
    const { connection, sent } = fake();
    const outcome = await sendProbe(connection, `<iq type='get' to='x'/><iq type='set' to='y'/>`);
    expect(outcome).toMatchObject({ kind: 'refused' });
    expect(outcome.message).toContain('more than one element');
    expect(sent).toEqual([]);
  });

  it('refuses XML that is not well-formed, and what is not a stanza', async () => {
    const { connection, sent } = fake();
    expect((await sendProbe(connection, `<iq type='get'><query></iq>`)).message).toMatch(/^Not well-formed XML/);
    expect((await sendProbe(connection, `<stream:features/>`)).kind).toBe('refused');
    expect((await sendProbe(connection, `<iq type='get'/> and more`)).message).toContain('text after the element');
    expect((await sendProbe(connection, `<iq type='nonsense'/>`)).kind).toBe('refused');
    expect((await sendProbe(connection, '   ')).kind).toBe('refused');
    expect(sent).toEqual([]);
  });

  it('waits for the answer to an IQ get and shows it', async () => {
    const { connection } = fake(() => parseXml(`<iq type='result'><query xmlns='jabber:iq:version'><name>Prosody</name></query></iq>`));
    const outcome = await sendProbe(connection, `<iq type='get' to='lab'><query xmlns='jabber:iq:version'/></iq>`);
    expect(outcome).toMatchObject({ kind: 'answered' });
    expect(outcome.kind === 'answered' && outcome.reply).toContain('<name>Prosody</name>');
  });

  it('says which error an IQ was answered with, and when none came', async () => {
    const refused = fake(() => new IqError('service-unavailable'));
    expect((await sendProbe(refused.connection, `<iq type='get' to='lab'><x xmlns='y'/></iq>`)).message).toBe('Answered with an error: service-unavailable.');
    const silent = fake();
    expect((await sendProbe(silent.connection, `<iq type='get' to='lab'><x xmlns='y'/></iq>`)).message).toBe('No answer came in 10 s.');
  });

  it('sends a message or presence as it is', async () => {
    const { connection, sent } = fake();
    expect((await sendProbe(connection, `<presence type='unavailable'/>`)).kind).toBe('sent');
    expect(sent).toEqual(['<presence type="unavailable"/>']);
  });

  it('says so when not connected', async () => {
    expect((await sendProbe(undefined, `<presence/>`)).message).toBe('Not connected: log in first.');
  });
});
