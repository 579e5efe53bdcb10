// XEP-0320: Use of DTLS-SRTP in Jingle Sessions, version 1.0.0.
import { badRequest } from './errors.ts';
import { type Field, oneOf, readFields, text, writeFields } from './fields.ts';
import type { Fingerprint, Setup } from './model.ts';
import { NS } from './namespaces.ts';
import { type Element, xml } from './xml.ts';

const SETUPS: readonly Setup[] = ['actpass', 'active', 'passive'];

const FINGERPRINT_FIELDS: readonly Field<Fingerprint>[] = [
  { attr: 'hash', key: 'hash', type: text, required: true },
  { attr: 'setup', key: 'setup', type: oneOf(SETUPS) },
];

const HEX_PAIRS = /^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2})+$/;

export function readFingerprints(transport: Element): Fingerprint[] {
  return transport.getChildren('fingerprint', NS.dtls).map((el) => {
    const fields = readFields(el, FINGERPRINT_FIELDS) as Fingerprint;
    const value = el.text().trim();
    if (!HEX_PAIRS.test(value)) throw badRequest('fingerprint is not hex pairs');
    return { ...fields, value };
  });
}

export function fingerprintElements(fingerprints: readonly Fingerprint[]): Element[] {
  // Conversations ends the call with security-error when setup is missing.
  return fingerprints.map((fp) => xml('fingerprint', { xmlns: NS.dtls, ...writeFields(fp, FINGERPRINT_FIELDS) }, fp.value.trim()));
}
