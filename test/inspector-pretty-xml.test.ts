import { describe, expect, it } from 'vitest';
import { prettyXml, prettyXmlText } from '../src/inspector/pretty-xml';

describe('pretty-printing a stanza', () => {
  it('indents children, keeps text on its element’s line, and escapes what it shows', () => {
    const xml = `<iq type='set' id='a&amp;b'><jingle xmlns='urn:xmpp:jingle:1' action='session-terminate' sid='s'><reason><success/><text>bye &lt;3</text></reason></jingle></iq>`;
    expect(prettyXmlText(xml)).toBe(
      [
        '<iq type="set" id="a&amp;b">',
        '  <jingle xmlns="urn:xmpp:jingle:1" action="session-terminate" sid="s">',
        '    <reason>',
        '      <success/>',
        '      <text>bye &lt;3</text>',
        '    </reason>',
        '  </jingle>',
        '</iq>',
      ].join('\n'),
    );
  });

  it('tags each piece for colouring', () => {
    const [line] = prettyXml(`<presence to='x'/>`);
    expect(line!.map((t) => t.kind)).toEqual(['punct', 'tag', 'attr', 'punct', 'value', 'punct', 'punct']);
  });

  it('shows XML that does not parse as it came, on one line', () => {
    expect(prettyXml('<iq><broken</iq>')).toEqual([[{ kind: 'text', text: '<iq><broken</iq>' }]]);
  });
});
