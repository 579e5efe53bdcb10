// Typed Jingle errors (XEP-0166 §8) and the <error/> elements they become.
import { NS } from './namespaces.ts';
import { type Element, xml } from './xml.ts';

export type StanzaCondition =
  | 'bad-request'
  | 'conflict'
  | 'feature-not-implemented'
  | 'item-not-found'
  | 'not-acceptable'
  | 'policy-violation'
  | 'service-unavailable'
  | 'unexpected-request';

export type JingleCondition = 'out-of-order' | 'tie-break' | 'unknown-session' | 'unsupported-info';

const ERROR_TYPE: Record<StanzaCondition, 'cancel' | 'modify' | 'wait'> = {
  'bad-request': 'modify',
  conflict: 'cancel',
  'feature-not-implemented': 'modify',
  'item-not-found': 'cancel',
  'not-acceptable': 'modify',
  'policy-violation': 'modify',
  'service-unavailable': 'cancel',
  'unexpected-request': 'wait',
};

/** An error to answer a Jingle request with; never a string to be parsed. */
export class JingleError extends Error {
  constructor(
    readonly condition: StanzaCondition,
    readonly jingleCondition?: JingleCondition,
    message?: string,
  ) {
    super(message ?? (jingleCondition ? `${condition} (${jingleCondition})` : condition));
    this.name = 'JingleError';
  }
}

export const badRequest = (message: string) => new JingleError('bad-request', undefined, message);
export const unknownSession = () => new JingleError('item-not-found', 'unknown-session', 'unknown session');
export const outOfOrder = (message: string) => new JingleError('unexpected-request', 'out-of-order', message);
export const unsupportedInfo = () =>
  new JingleError('feature-not-implemented', 'unsupported-info', 'unsupported session-info payload');

/** The <error/> child of an IQ error reply. */
export function errorElement(error: JingleError): Element {
  return xml(
    'error',
    { type: ERROR_TYPE[error.condition] },
    xml(error.condition, { xmlns: NS.stanzas }),
    error.jingleCondition ? xml(error.jingleCondition, { xmlns: NS.jingleErrors }) : null,
  );
}

/** Reads the conditions of an IQ error reply, for showing why a request failed. */
export function readErrorReply(iq: Element): { condition: string; jingleCondition?: string; text?: string } {
  const error = iq.getChild('error');
  const children = error?.getChildElements() ?? [];
  const condition = children.find((c) => c.getNS() === NS.stanzas && c.name !== 'text')?.name ?? 'undefined-condition';
  const jingleCondition = children.find((c) => c.getNS() === NS.jingleErrors)?.name;
  const text = error?.getChildText('text', NS.stanzas) ?? undefined;
  return { condition, ...(jingleCondition ? { jingleCondition } : {}), ...(text ? { text } : {}) };
}

/** XEP-0166 §8: a request that crossed a similar one of ours, which wins. */
export const tieBreak = (message: string) => new JingleError('conflict', 'tie-break', message);
