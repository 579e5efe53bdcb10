// XEP-0294: Jingle RTP Header Extensions Negotiation, version 1.1.2.
import { type Field, oneOf, readFields, text, uint16, writeFields } from './fields.ts';
import { NS } from './namespaces.ts';
import { type HeaderExtension, SENDERS } from './model.ts';
import { type Element, xml } from './xml.ts';

const HDREXT_FIELDS: readonly Field<HeaderExtension>[] = [
  { attr: 'id', key: 'id', type: uint16, required: true },
  { attr: 'uri', key: 'uri', type: text, required: true },
  { attr: 'senders', key: 'senders', type: oneOf(SENDERS) },
];

export function readHeaderExtensions(description: Element): { headerExtensions: HeaderExtension[]; extmapAllowMixed: boolean } {
  return {
    headerExtensions: description
      .getChildren('rtp-hdrext', NS.rtpHdrext)
      .map((el) => readFields(el, HDREXT_FIELDS) as HeaderExtension),
    extmapAllowMixed: description.getChild('extmap-allow-mixed', NS.rtpHdrext) !== undefined,
  };
}

export function headerExtensionElements(exts: readonly HeaderExtension[], extmapAllowMixed: boolean): Element[] {
  const elements = exts.map((ext) => xml('rtp-hdrext', { xmlns: NS.rtpHdrext, ...writeFields(ext, HDREXT_FIELDS) }));
  if (extmapAllowMixed) elements.push(xml('extmap-allow-mixed', { xmlns: NS.rtpHdrext }));
  return elements;
}
