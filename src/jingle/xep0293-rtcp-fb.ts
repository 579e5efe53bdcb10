// XEP-0293: Jingle RTP Feedback Negotiation, version 1.0.2.
import { type Field, readFields, text, uint, writeFields } from './fields.ts';
import { NS } from './namespaces.ts';
import type { RtcpFeedback } from './model.ts';
import { type Element, xml } from './xml.ts';

const FEEDBACK_FIELDS: readonly Field<RtcpFeedback>[] = [
  { attr: 'type', key: 'type', type: text, required: true },
  { attr: 'subtype', key: 'subtype', type: text },
];

export function readFeedback(parent: Element): { feedback: RtcpFeedback[]; trrInt?: number } {
  const feedback = parent.getChildren('rtcp-fb', NS.rtcpFb).map((el) => readFields(el, FEEDBACK_FIELDS) as RtcpFeedback);
  const trr = parent.getChild('rtcp-fb-trr-int', NS.rtcpFb);
  if (!trr) return { feedback };
  const { value } = readFields<{ value: number }>(trr, [{ attr: 'value', key: 'value', type: uint, required: true }]);
  return value === undefined ? { feedback } : { feedback, trrInt: value };
}

export function feedbackElements(feedback: readonly RtcpFeedback[], trrInt?: number): Element[] {
  const elements = feedback.map((fb) => xml('rtcp-fb', { xmlns: NS.rtcpFb, ...writeFields(fb, FEEDBACK_FIELDS) }));
  if (trrInt !== undefined) elements.push(xml('rtcp-fb-trr-int', { xmlns: NS.rtcpFb, value: trrInt }));
  return elements;
}
