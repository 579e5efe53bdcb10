// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { type CallTarget, type ContactList, INVALID_JID } from '../../src/ui/contact-list.ts';
import { shownContacts } from '../../src/ui/contact-order.ts';
import type { Contact, Show } from '../../src/xmpp/roster.ts';

function contact(jid: string, name: string, show?: Show, status?: string): Contact {
  return { jid, name, subscription: 'both', resources: show ? [{ jid: `${jid}/desk`, show, ...(status ? { status } : {}), priority: 0, seen: 1 }] : [] };
}

const ALICE = contact('alice@localhost', 'Alice', 'available', 'At my desk');
const BOB = contact('bob@localhost', 'Bob', 'away');
const CAROL = contact('carol@example.org', 'Carol');

async function list(props: Partial<Pick<ContactList, 'contacts' | 'target' | 'avatarOf' | 'activity' | 'selected' | 'requests' | 'revision'>> = {}): Promise<ContactList> {
  const el = document.createElement('jl-contact-list');
  Object.assign(el, { contacts: [ALICE, BOB, CAROL], ...props });
  document.body.append(el);
  await el.updateComplete;
  return el;
}

/** The events of these types the element sends, with their details. */
function heard(el: HTMLElement, ...types: string[]): { type: string; detail: unknown; bubbles: boolean; composed: boolean }[] {
  const events: { type: string; detail: unknown; bubbles: boolean; composed: boolean }[] = [];
  for (const type of types) {
    el.addEventListener(type, (e) => events.push({ type, detail: (e as CustomEvent).detail, bubbles: e.bubbles, composed: e.composed }));
  }
  return events;
}

const $ = <T extends Element = HTMLElement>(el: ContactList, selector: string) => el.shadowRoot!.querySelector<T>(selector);
const $$ = (el: ContactList, selector: string) => [...el.shadowRoot!.querySelectorAll<HTMLElement>(selector)];
const row = (el: ContactList, jid: string) => $(el, `li[data-jid="${jid}"]`)!;
const rows = (el: ContactList) => $$(el, 'ul[aria-label="Contacts"] > li').map((li) => li.dataset.jid);
const button = (scope: ParentNode, label: string) => scope.querySelector<HTMLButtonElement>(`button[aria-label="${label}"]`)!;
const text = (node: Element | null) => node?.textContent?.replace(/\s+/g, ' ').trim();

async function typeFilter(el: ContactList, value: string) {
  const input = $<HTMLInputElement>(el, 'input[aria-label="Filter contacts"]')!;
  input.value = value;
  input.dispatchEvent(new Event('input'));
  await el.updateComplete;
}

afterEach(() => document.body.replaceChildren());

describe('the contact rows', () => {
  it('lists every contact in a list named Contacts, one row per bare JID', async () => {
    const el = await list();
    expect($(el, 'ul')!.getAttribute('aria-label')).toBe('Contacts');
    expect(rows(el)).toEqual(['alice@localhost', 'bob@localhost', 'carol@example.org']);
  });

  it('shows the name, the JID and the presence in words with the status message', async () => {
    const el = await list();
    expect(text(row(el, 'alice@localhost').querySelector('.name'))).toBe('Alice');
    expect(text(row(el, 'alice@localhost').querySelector('.jid'))).toBe('alice@localhost');
    expect(text(row(el, 'alice@localhost').querySelector('.status'))).toBe('online — At my desk');
    expect(text(row(el, 'bob@localhost').querySelector('.status'))).toBe('away');
    expect(text(row(el, 'carol@example.org').querySelector('.status'))).toBe('offline');
  });

  it.each([['chat', 'online'], ['xa', 'away'], ['dnd', 'busy']] as const)('says %s as %s, on the row and on the avatar dot', async (show, word) => {
    const el = await list({ contacts: [contact('dave@localhost', 'Dave', show)] });
    expect(text(row(el, 'dave@localhost').querySelector('.status'))).toBe(word);
    expect(row(el, 'dave@localhost').querySelector('jl-avatar')!.presence).toBe(word);
  });

  it('gives each avatar the contact’s JID, name and picture', async () => {
    const el = await list({ avatarOf: (jid) => (jid === 'bob@localhost' ? 'data:image/png;base64,AAAA' : undefined) });
    const bob = row(el, 'bob@localhost').querySelector('jl-avatar')!;
    expect([bob.jid, bob.name, bob.src]).toEqual(['bob@localhost', 'Bob', 'data:image/png;base64,AAAA']);
    expect(row(el, 'alice@localhost').querySelector('jl-avatar')!.src).toBeUndefined();
  });

  it('opens the conversation when the contact is clicked', async () => {
    const el = await list();
    const events = heard(el, 'select-contact');
    button(row(el, 'bob@localhost'), 'Open conversation with Bob').click();
    expect(events).toEqual([{ type: 'select-contact', detail: { jid: 'bob@localhost' }, bubbles: true, composed: true }]);
  });

  it('marks the open conversation’s row as the current one, and only it', async () => {
    const el = await list({ selected: 'bob@localhost' });
    expect(row(el, 'bob@localhost').getAttribute('aria-current')).toBe('true');
    expect(row(el, 'alice@localhost').hasAttribute('aria-current')).toBe(false);
    el.selected = 'alice@localhost';
    await el.updateComplete;
    expect(row(el, 'bob@localhost').hasAttribute('aria-current')).toBe(false);
    expect(row(el, 'alice@localhost').getAttribute('aria-current')).toBe('true');
  });
});

describe('the call buttons', () => {
  const reachable = (): CallTarget => ({ jid: 'bob@localhost/desk', via: 'jmi' });

  it('are icon buttons named exactly Audio call and Video call, titled with whom they call', async () => {
    const el = await list({ target: reachable });
    for (const label of ['Audio call', 'Video call']) {
      const b = button(row(el, 'bob@localhost'), label);
      expect(b.classList.contains('icon-only')).toBe(true);
      expect(b.querySelector('svg')).not.toBeNull();
      expect(text(b)).toBe('');
      expect(b.disabled).toBe(false);
      expect(b.title).toBe(`${label} with Bob`);
    }
  });

  it('asks for a call with the contact in the medium clicked', async () => {
    const el = await list({ target: reachable });
    const events = heard(el, 'call');
    button(row(el, 'bob@localhost'), 'Video call').click();
    button(row(el, 'alice@localhost'), 'Audio call').click();
    expect(events).toEqual([
      { type: 'call', detail: { jid: 'bob@localhost', media: 'video' }, bubbles: true, composed: true },
      { type: 'call', detail: { jid: 'alice@localhost', media: 'audio' }, bubbles: true, composed: true },
    ]);
  });

  it('are disabled with the reason as their tooltip when the call cannot be placed', async () => {
    const el = await list({ target: (c, media) => (c.jid === 'carol@example.org' ? { why: 'Carol is offline' } : media === 'video' ? { why: 'No camera' } : reachable()) });
    expect(button(row(el, 'carol@example.org'), 'Audio call').disabled).toBe(true);
    expect(button(row(el, 'carol@example.org'), 'Audio call').title).toBe('Carol is offline');
    expect(button(row(el, 'bob@localhost'), 'Video call').title).toBe('No camera');
    expect(button(row(el, 'bob@localhost'), 'Audio call').disabled).toBe(false);
  });

  it('show the note of the device they would call as their tooltip', async () => {
    const el = await list({ target: () => ({ jid: 'bob@localhost/phone', via: 'direct', note: 'Calls Bob’s phone directly' }) });
    expect(button(row(el, 'bob@localhost'), 'Audio call').title).toBe('Calls Bob’s phone directly');
  });
});

describe('calls on and missed', () => {
  it('float to the top, a call on before a missed one, each with its badge', async () => {
    const el = await list({ activity: new Map([['carol@example.org', 'missed'], ['bob@localhost', 'active']]) });
    expect(rows(el)).toEqual(['bob@localhost', 'carol@example.org', 'alice@localhost']);
    expect(text(row(el, 'bob@localhost').querySelector('.badge'))).toBe('In call');
    expect(text(row(el, 'carol@example.org').querySelector('.badge'))).toBe('Missed call');
    expect(row(el, 'alice@localhost').querySelector('.badge')).toBeNull();
  });

  it('move a row without drawing it anew', async () => {
    const el = await list();
    const carol = row(el, 'carol@example.org');
    el.activity = new Map([['carol@example.org', 'active']]);
    await el.updateComplete;
    expect(rows(el)[0]).toBe('carol@example.org');
    expect(row(el, 'carol@example.org')).toBe(carol);
  });
});

describe('the filter', () => {
  it('keeps the contacts whose name or JID holds the text, in any case', async () => {
    const el = await list();
    await typeFilter(el, 'BO');
    expect(rows(el)).toEqual(['bob@localhost']);
    await typeFilter(el, 'EXAMPLE.org');
    expect(rows(el)).toEqual(['carol@example.org']);
    await typeFilter(el, '');
    expect(rows(el)).toHaveLength(3);
  });

  it('says so when no contact matches', async () => {
    const el = await list();
    await typeFilter(el, 'zed');
    expect($(el, 'ul[aria-label="Contacts"]')).toBeNull();
    expect(text($(el, '.empty'))).toBe('No contact matches “zed”.');
  });
});

describe('a long roster', () => {
  const people = (n: number) => Array.from({ length: n }, (_, i) => contact(`p${i}@localhost`, `Person ${i}`));
  /** A row is 5rem with a 0.5rem gap; happy-dom's rem is 16 px. */
  const ROW_PX = 88;

  async function scrollTo(el: ContactList, top: number) {
    const scroller = $(el, '.scroller')!;
    scroller.scrollTop = top;
    scroller.dispatchEvent(new Event('scroll'));
    await el.updateComplete;
  }

  it('draws only the rows in view and a few beyond, each telling its place in the whole list', async () => {
    const el = await list({ contacts: people(1000) });
    const drawn = $$(el, 'ul[aria-label="Contacts"] > li');
    expect(drawn.length).toBeGreaterThan(5);
    expect(drawn.length).toBeLessThan(30);
    expect(drawn[0]!.dataset.jid).toBe('p0@localhost');
    expect(drawn.map((li) => li.getAttribute('aria-posinset'))).toEqual(drawn.map((_, i) => String(i + 1)));
    expect(drawn.every((li) => li.getAttribute('aria-setsize') === '1000')).toBe(true);
    // The rows not drawn keep their room, so the scrollbar is that of the whole list.
    const ul = $(el, 'ul[aria-label="Contacts"]')!;
    expect(ul.style.paddingTop).toBe('0px');
    expect(ul.style.paddingBottom).toBe(`${(1000 - drawn.length) * ROW_PX}px`);
  });

  it('draws the rows scrolled to, with their call buttons', async () => {
    const el = await list({ contacts: people(1000), target: () => ({ jid: 'p500@localhost/desk', via: 'jmi' }) });
    await scrollTo(el, 500 * ROW_PX);
    expect(rows(el)).toContain('p500@localhost');
    expect(rows(el)).not.toContain('p0@localhost');
    expect(row(el, 'p500@localhost').getAttribute('aria-posinset')).toBe('501');
    expect(button(row(el, 'p500@localhost'), 'Video call').disabled).toBe(false);
  });

  it('keeps focus in the list when the focused row scrolls away', async () => {
    const el = await list({ contacts: people(1000) });
    button(row(el, 'p0@localhost'), 'Open conversation with Person 0').focus();
    expect(el.shadowRoot!.activeElement?.closest('li')?.dataset.jid).toBe('p0@localhost');
    await scrollTo(el, 600 * ROW_PX);
    expect($(el, 'li[data-jid="p0@localhost"]')).toBeNull();
    expect(el.shadowRoot!.activeElement).toBe($(el, '.scroller'));
  });

  it('finds by the filter contacts that were not drawn', async () => {
    const el = await list({ contacts: people(1000) });
    await typeFilter(el, 'person 999');
    expect(rows(el)).toEqual(['p999@localhost']);
  });

  it('draws its rows again when told the answers to target() changed', async () => {
    let why = 'Checking what Bob’s client supports…';
    const el = await list({ target: () => ({ why }) });
    expect(button(row(el, 'bob@localhost'), 'Audio call').title).toBe(why);
    why = '';
    el.revision = 1;
    await el.updateComplete;
    expect(button(row(el, 'bob@localhost'), 'Audio call').disabled).toBe(false);
  });
});

describe('the order shown', () => {
  const people = [ALICE, BOB, CAROL];

  it('is the roster itself, not a copy, with neither filter nor call to move up', () => {
    expect(shownContacts(people, '  ', new Map())).toBe(people);
  });

  it('puts calls on first and missed ones next, each in roster order', () => {
    const dave = contact('dave@localhost', 'Dave');
    const shown = shownContacts([...people, dave], '', new Map([['dave@localhost', 'missed'], ['carol@example.org', 'active'], ['alice@localhost', 'missed']]));
    expect(shown.map((c) => c.jid)).toEqual(['carol@example.org', 'alice@localhost', 'dave@localhost', 'bob@localhost']);
  });
});

describe('an empty roster', () => {
  it('says how to add a contact, with neither list nor filter', async () => {
    const el = await list({ contacts: [] });
    expect(text($(el, '.empty'))).toBe('No contacts yet. Add one with “Add contact”.');
    expect($(el, 'ul[aria-label="Contacts"]')).toBeNull();
    expect($(el, 'input[aria-label="Filter contacts"]')).toBeNull();
    expect(text($(el, 'button.add'))).toBe('Add contact');
  });
});

describe('contact requests', () => {
  it('are not shown when nobody asks', async () => {
    const el = await list();
    expect($(el, 'section[aria-label="Contact requests"]')).toBeNull();
  });

  it('show who asks, above the contacts', async () => {
    const el = await list({ requests: ['dave@example.org', 'erin@example.org'] });
    const section = $(el, 'section[aria-label="Contact requests"]')!;
    expect([...section.querySelectorAll('li')].map((li) => text(li.querySelector('p')))).toEqual([
      'dave@example.org wants to see when you are online',
      'erin@example.org wants to see when you are online',
    ]);
    expect(section.compareDocumentPosition($(el, 'ul[aria-label="Contacts"]')!) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('are approved or denied one by one', async () => {
    const el = await list({ requests: ['dave@example.org', 'erin@example.org'] });
    const events = heard(el, 'approve-request', 'deny-request');
    const [dave, erin] = $$(el, 'section[aria-label="Contact requests"] li');
    const named = (li: HTMLElement, name: string) => [...li.querySelectorAll('button')].find((b) => text(b) === name)!;
    named(erin!, 'Deny').click();
    named(dave!, 'Approve').click();
    expect(events).toEqual([
      { type: 'deny-request', detail: { jid: 'erin@example.org' }, bubbles: true, composed: true },
      { type: 'approve-request', detail: { jid: 'dave@example.org' }, bubbles: true, composed: true },
    ]);
  });
});

describe('adding a contact', () => {
  async function openForm(el: ContactList): Promise<HTMLFormElement> {
    $<HTMLButtonElement>(el, 'button.add')!.click();
    await el.updateComplete;
    return $<HTMLFormElement>(el, 'form[aria-label="Add contact"]')!;
  }

  async function submit(el: ContactList, form: HTMLFormElement, jid: string, name = '') {
    form.querySelector<HTMLInputElement>('#add-jid')!.value = jid;
    form.querySelector<HTMLInputElement>('#add-name')!.value = name;
    form.dispatchEvent(new Event('submit', { cancelable: true }));
    await el.updateComplete;
  }

  it('opens a form labelled Add contact, with its address and name fields', async () => {
    const el = await list();
    expect($(el, 'form')).toBeNull();
    const form = await openForm(el);
    expect($(el, 'button.add')!.getAttribute('aria-expanded')).toBe('true');
    expect(text(form.querySelector('label[for="add-jid"]'))).toBe('Address (name@example.org)');
    expect(text(form.querySelector('label[for="add-name"]'))).toBe('Name');
  });

  it('refuses an address that is not a JID, keeping what was typed', async () => {
    const el = await list();
    const events = heard(el, 'add-contact');
    const form = await openForm(el);
    await submit(el, form, 'dave at example', 'Dave');
    expect(text($(el, '[role="alert"]'))).toBe(INVALID_JID);
    expect(INVALID_JID).toBe('That address is not a valid JID. Write it as name@example.org.');
    expect(form.querySelector<HTMLInputElement>('#add-jid')!.value).toBe('dave at example');
    expect(form.querySelector('#add-jid')!.getAttribute('aria-invalid')).toBe('true');
    expect(events).toEqual([]);
  });

  it('refuses an address without a name part', async () => {
    const el = await list();
    const events = heard(el, 'add-contact');
    await submit(el, await openForm(el), 'example.org');
    expect(text($(el, '[role="alert"]'))).toBe(INVALID_JID);
    expect(events).toEqual([]);
  });

  it('adds the bare JID with the name given, and closes', async () => {
    const el = await list();
    const events = heard(el, 'add-contact');
    await submit(el, await openForm(el), ' dave@example.org/phone ', ' Dave ');
    expect(events).toEqual([{ type: 'add-contact', detail: { jid: 'dave@example.org', name: 'Dave' }, bubbles: true, composed: true }]);
    expect($(el, 'form')).toBeNull();
  });

  it('adds without a name when none is given', async () => {
    const el = await list();
    const events = heard(el, 'add-contact');
    await submit(el, await openForm(el), 'dave@example.org');
    expect(events.map((e) => e.detail)).toEqual([{ jid: 'dave@example.org' }]);
  });

  it('closes on Cancel or Escape without adding anyone', async () => {
    const el = await list();
    const events = heard(el, 'add-contact');
    const form = await openForm(el);
    [...form.querySelectorAll('button')].find((b) => text(b) === 'Cancel')!.click();
    await el.updateComplete;
    expect($(el, 'form')).toBeNull();
    (await openForm(el)).dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    await el.updateComplete;
    expect($(el, 'form')).toBeNull();
    expect(events).toEqual([]);
  });

  it('opens with no error left from the last time', async () => {
    const el = await list();
    await submit(el, await openForm(el), 'not a jid');
    $<HTMLButtonElement>(el, 'button.add')!.click();
    await el.updateComplete;
    await openForm(el);
    expect($(el, '[role="alert"]')).toBeNull();
  });
});
