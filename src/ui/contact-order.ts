// Which contacts the list shows, in which order: those the filter keeps, calls
// on now first, then missed ones, then everyone else in roster order.
import type { Contact } from '../xmpp/roster.ts';

/** A call with the contact is on, or was missed. */
export type ContactActivity = 'active' | 'missed';

const ACTIVITY_RANK: Record<ContactActivity, number> = { active: 0, missed: 1 };

/** The roster itself when there is neither filter nor call to move up, else a new array. */
export function shownContacts(contacts: readonly Contact[], filter: string, activity: ReadonlyMap<string, ContactActivity>): readonly Contact[] {
  const needle = filter.trim().toLocaleLowerCase();
  if (!needle && activity.size === 0) return contacts;
  // One pass rather than a sort: three ranks, each kept in roster order.
  const ranks: Contact[][] = [[], [], []];
  for (const c of contacts) {
    if (needle && !c.name.toLocaleLowerCase().includes(needle) && !c.jid.toLocaleLowerCase().includes(needle)) continue;
    const kind = activity.get(c.jid);
    ranks[kind ? ACTIVITY_RANK[kind] : 2]!.push(c);
  }
  return ranks.flat();
}
