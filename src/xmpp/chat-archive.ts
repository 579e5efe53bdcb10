// XEP-0313 Message Archive Management, version 1.1.3: the latest page of one
// conversation from the user's own archive. The result messages are collected
// here until the query's <fin/>; chat.ts reads the messages they forward
// (XEP-0297 Stanza Forwarding, as carbons forward them too).
import { type Connection, type Element, xml } from './connection.ts';

const NS_MAM = 'urn:xmpp:mam:2';
const NS_RSM = 'http://jabber.org/protocol/rsm';
const NS_DATA_FORMS = 'jabber:x:data';
const NS_FORWARD = 'urn:xmpp:forward:0';
const NS_DELAY = 'urn:xmpp:delay';

/** XEP-0082 DateTime, which XEP-0203 requires of a stamp; anything else is no stamp. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** When a XEP-0203 <delay/> in `parent` says the stanza was first received, in ms. */
export function stampOf(parent: Element | undefined): number | undefined {
  const stamp = parent?.getChild('delay', NS_DELAY)?.attrs.stamp?.trim() ?? '';
  const at = DATE_TIME.test(stamp) ? Date.parse(stamp) : Number.NaN;
  return Number.isFinite(at) ? at : undefined;
}

export interface Forwarded {
  message: Element;
  /** When it was first received, if the <forwarded/> or the message says. */
  stamp: number | undefined;
}

/** The message a XEP-0297 <forwarded/> in `wrapper` holds. */
export function readForwarded(wrapper: Element | undefined): Forwarded | undefined {
  const forwarded = wrapper?.getChild('forwarded', NS_FORWARD);
  const message = forwarded?.getChild('message');
  return message ? { message, stamp: stampOf(forwarded) ?? stampOf(message) } : undefined;
}

/** How many messages a page asks for. */
export const PAGE_SIZE = 50;

export interface ArchivedResult extends Forwarded {
  /** The message's UID in the archive: its stanza-id by our account (§3.5). */
  archiveId: string | undefined;
}

export interface ArchivePage {
  /** In the archive's order, which is chronological (§4.2). */
  results: ArchivedResult[];
  /** The server says the page reaches the start of the archive: there is nothing older (§4.3.2). */
  complete: boolean;
}

export interface Archive {
  /** True for a result message of an archive query (taken or ignored here): it is no chat message. */
  collect(stanza: Element): boolean;
  /** Asks our own archive for the latest page with this bare JID; rejects with IqError. */
  latestPage(withJid: string): Promise<ArchivePage>;
}

/**
 * §4.1.1 filters by JID through a data form; §4.3.3: an empty RSM <before/>
 * asks for the last page. No 'to': a user's archive is their own account.
 */
export function latestPageQuery(withJid: string, queryId: string, max = PAGE_SIZE): Element {
  const field = (name: string, value: string, type?: string) => xml('field', { var: name, type }, xml('value', {}, value));
  return xml(
    'iq',
    { type: 'set' },
    xml(
      'query',
      { xmlns: NS_MAM, queryid: queryId },
      xml('x', { xmlns: NS_DATA_FORMS, type: 'submit' }, field('FORM_TYPE', NS_MAM, 'hidden'), field('with', withJid)),
      xml('set', { xmlns: NS_RSM }, xml('max', {}, String(max)), xml('before')),
    ),
  );
}

/**
 * `fromOwnAccount` says whether a result message comes from our own account:
 * results from anyone else are forgeries (CVE-2020-26547), as are results
 * without the queryid of a query under way.
 */
export function createArchive(
  connection: Pick<Connection, 'request'>,
  newId: () => string,
  fromOwnAccount: (stanza: Element) => boolean,
): Archive {
  const queries = new Map<string, ArchivedResult[]>();

  return {
    collect(stanza) {
      const result = stanza.getChild('result', NS_MAM);
      if (!result) return false;
      const results = queries.get(result.attrs.queryid ?? '');
      const forwarded = readForwarded(result);
      // XEP-0059 §2.1: a page holds no more than the <max/> it was asked for.
      if (results && forwarded && fromOwnAccount(stanza) && results.length < PAGE_SIZE) {
        results.push({ archiveId: result.attrs.id || undefined, ...forwarded });
      }
      return true;
    },
    async latestPage(withJid) {
      const queryId = newId();
      const results: ArchivedResult[] = [];
      queries.set(queryId, results);
      try {
        // §4: the server sends every result before the IQ result that ends the query.
        const iq = await connection.request(latestPageQuery(withJid, queryId));
        return { results, complete: iq.getChild('fin', NS_MAM)?.attrs.complete === 'true' };
      } finally {
        queries.delete(queryId);
      }
    },
  };
}
