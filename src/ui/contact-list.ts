// The roster: each contact with their avatar, live presence and a call button
// per medium; a filter, the contact requests waiting for an answer, and a form
// to add a contact. Rows are drawn only where the list is scrolled to, so a
// roster of 5,000 costs what one of twenty does.
import { LitElement, css, html, nothing, unsafeCSS } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { CallMedia } from '../media/devices.ts';
import { parseAccountJid } from '../xmpp/jid.ts';
import type { Contact } from '../xmpp/roster.ts';
import './avatar-view.ts';
import type { PresenceState } from './avatar-view.ts';
import { icon } from './icons.ts';
import { controls, phoneQuery } from './theme.ts';
import { type RowWindow, rowWindow, sameWindow } from './windowing.ts';
import { type ContactActivity, shownContacts } from './contact-order.ts';

export interface CallRequest {
  jid: string;
  media: CallMedia;
}

/** The device a call button calls (with a note for its tooltip), or why it cannot call. */
export type CallTarget = { jid: string; via: 'jmi' | 'direct'; note?: string } | { why: string };

export type { ContactActivity } from './contact-order.ts';

/** The detail of `select-contact`, `approve-request` and `deny-request`. */
export interface ContactDetail {
  jid: string;
}

export interface AddContactDetail {
  jid: string;
  name?: string;
}

const SHOW_TEXT: Record<string, PresenceState> = { available: 'online', chat: 'online', away: 'away', xa: 'away', dnd: 'busy' };

/** The presence of a contact's likeliest device, in the words the list shows. */
export function presenceOf(contact: Contact): PresenceState {
  const best = contact.resources[0];
  return best ? SHOW_TEXT[best.show] ?? 'online' : 'offline';
}

const BADGE: Record<ContactActivity, { text: string; icon: 'phone' | 'missed' }> = {
  active: { text: 'In call', icon: 'phone' },
  missed: { text: 'Missed call', icon: 'missed' },
};

export const INVALID_JID = 'That address is not a valid JID. Write it as name@example.org.';

/** Every row is this tall (rem), with this gap below it, so that which rows show follows from the scroll position. */
const ROW_REM = 5;
const GAP_REM = 0.5;
/** The list scrolls within this height (rem, and at most this share of the window). */
const LIST_MAX_REM = 36;
const LIST_MAX_VH = 70;
/** Rows drawn beyond the visible ones, so a fast scroll or Tab shows no gap. */
const OVERSCAN = 6;

/** The root font size in px, which rem is. */
function remPx(): number {
  return Number.parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
}

@customElement('jl-contact-list')
export class ContactList extends LitElement {
  static override styles = [
    controls,
    css`
      :host { display: grid; gap: var(--jl-space-3); min-width: 0; }
      ul { list-style: none; margin: 0; padding: 0; display: grid; gap: var(--jl-space-2); }
      .scroller { max-height: min(${unsafeCSS(LIST_MAX_REM)}rem, ${unsafeCSS(LIST_MAX_VH)}vh); overflow-y: auto; overscroll-behavior: contain; border-radius: var(--jl-radius-m); }
      .scroller:focus-visible { outline: 3px solid var(--jl-focus); outline-offset: 2px; }
      ul.contacts { gap: ${unsafeCSS(GAP_REM)}rem; box-sizing: border-box; }
      p { margin: 0; }
      .tools { display: flex; flex-wrap: wrap; gap: var(--jl-space-2); align-items: center; }
      .filter { position: relative; flex: 1 1 12rem; min-width: 0; display: flex; align-items: center; }
      .filter .icon { position: absolute; left: var(--jl-space-3); color: var(--jl-text-muted); pointer-events: none; }
      .filter input { width: 100%; padding-left: 2.5rem; }
      input::placeholder { color: var(--jl-text-muted); opacity: 1; }
      form { display: grid; gap: var(--jl-space-2); padding: var(--jl-space-3); border: 1px solid var(--jl-border); border-radius: var(--jl-radius-m);
        background: var(--jl-surface); }
      form label { font-weight: 600; }
      form input { width: 100%; }
      .actions { display: flex; flex-wrap: wrap; gap: var(--jl-space-2); }
      .error { color: var(--jl-danger); }
      .requests li, .contacts li { display: flex; align-items: center; gap: var(--jl-space-2); padding: var(--jl-space-2);
        border: 1px solid var(--jl-border); border-radius: var(--jl-radius-m); background: var(--jl-surface); }
      .requests li { flex-wrap: wrap; background: var(--jl-accent-soft); }
      .requests p { flex: 1 1 12rem; min-width: 0; }
      .jid { overflow-wrap: anywhere; }
      .contacts li { height: ${unsafeCSS(ROW_REM)}rem; box-sizing: border-box; overflow: hidden; }
      .contacts li.selected { background: var(--jl-accent-soft); border-color: var(--jl-accent); }
      .contacts li { position: relative; }
      button.open { justify-content: flex-start; min-height: 0; min-width: 0; max-width: 100%; padding: 0; border: 0; background: transparent; text-align: start; }
      button.open .name { min-width: 0; }
      button.open::after { content: ''; position: absolute; inset: 0; border-radius: var(--jl-radius-m); }
      button.open:hover:not(:disabled) { background: transparent; }
      .contacts li:hover { background: var(--jl-surface-2); }
      .contacts li.selected:hover { background: var(--jl-accent-soft); }
      button.open:focus-visible { outline: none; }
      button.open:focus-visible::after { outline: 3px solid var(--jl-focus); outline-offset: -3px; }
      .calls { position: relative; z-index: 1; }
      .who { display: grid; flex: 1 1 auto; min-width: 0; gap: 0.1rem; line-height: 1.3; }
      /* One line each, so that every row is as tall as the others. */
      .name, .who .jid, .status { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
      .name { font-weight: 600; }
      .who .jid, .status { color: var(--jl-text-muted); font-size: var(--jl-text-s); }
      .line { display: flex; align-items: center; gap: var(--jl-space-2); min-width: 0; }
      .line .status { flex: 0 1 auto; min-width: 0; }
      .badge { display: inline-flex; flex: none; align-items: center; gap: var(--jl-space-1); justify-self: start; font-size: var(--jl-text-s); font-weight: 600; white-space: nowrap;
        padding: 0 var(--jl-space-2); border: 1px solid currentColor; border-radius: var(--jl-radius-round); }
      .badge.active { color: var(--jl-ok); }
      .badge.missed { color: var(--jl-danger); }
      .calls { display: flex; flex: none; gap: var(--jl-space-1); }
      .empty { color: var(--jl-text-muted); }
      @media ${phoneQuery} {
        .contacts li { padding: var(--jl-space-1); gap: var(--jl-space-1); }
      }
    `,
  ];

  @property({ attribute: false }) contacts: readonly Contact[] = [];
  /** Decides each call button: the device to call, or why not. */
  @property({ attribute: false }) target: (contact: Contact, media: CallMedia) => CallTarget = () => ({ why: '' });
  /** A contact's avatar as a data: URL, where one is known. */
  @property({ attribute: false }) avatarOf: (jid: string) => string | undefined = () => undefined;
  /** Bare JID → a call with them is on, or was missed. */
  @property({ attribute: false }) activity: ReadonlyMap<string, ContactActivity> = new Map();
  /** The bare JID of the conversation open beside the list. */
  @property() selected?: string | undefined;
  /** Bare JIDs that asked to see our presence. */
  @property({ attribute: false }) requests: readonly string[] = [];

  /** Bumped by the owner when what `target` or `avatarOf` answer changed: the rows shown are drawn again. */
  @property({ attribute: false }) revision = 0;

  @state() private filter = '';
  @state() private adding = false;
  @state() private addError = '';
  /** The rows the last render drew: a scroll that changes them draws again. */
  private drawn: RowWindow = { first: 0, last: 0 };
  private scrolled = 0;
  private rem = 16;
  /** The filtered and ordered contacts, kept while the contacts, filter and activity are the same. */
  private memo?: { contacts: readonly Contact[]; filter: string; activity: ReadonlyMap<string, ContactActivity>; shown: readonly Contact[] };

  override connectedCallback(): void {
    super.connectedCallback();
    this.rem = remPx();
  }

  private get rowPx(): number {
    return (ROW_REM + GAP_REM) * this.rem;
  }

  /** As tall as the list can show: its CSS max-height, in px. */
  private get viewportPx(): number {
    return Math.min(LIST_MAX_REM * this.rem, (innerHeight * LIST_MAX_VH) / 100);
  }

  private shown(): readonly Contact[] {
    const m = this.memo;
    if (m && m.contacts === this.contacts && m.filter === this.filter && m.activity === this.activity) return m.shown;
    const shown = shownContacts(this.contacts, this.filter, this.activity);
    this.memo = { contacts: this.contacts, filter: this.filter, activity: this.activity, shown };
    return shown;
  }

  private windowOf(count: number): RowWindow {
    return rowWindow({ count, rowPx: this.rowPx, scrollTop: this.scrolled, viewportPx: this.viewportPx, overscan: OVERSCAN });
  }

  private readonly onScroll = (event: Event) => {
    const scroller = event.currentTarget as HTMLElement;
    this.scrolled = scroller.scrollTop;
    const next = this.windowOf(this.shown().length);
    if (sameWindow(next, this.drawn)) return;
    // A focused row about to be dropped hands focus to the list itself, not to the page.
    const focused = (this.renderRoot as ShadowRoot).activeElement?.closest<HTMLElement>('li[aria-posinset]');
    const at = focused ? Number(focused.getAttribute('aria-posinset')) - 1 : -1;
    if (focused && (at < next.first || at >= next.last)) scroller.focus({ preventScroll: true });
    this.requestUpdate();
  };

  private setFilter(value: string): void {
    this.filter = value;
    this.scrolled = 0;
    this.renderRoot.querySelector('.scroller')?.scrollTo({ top: 0 });
  }

  override render() {
    return html`
      <div class="tools">
        ${this.contacts.length
          ? html`<div class="filter">${icon('search')}<input type="search" aria-label="Filter contacts" placeholder="Filter contacts"
              autocomplete="off" .value=${this.filter} @input=${(e: Event) => this.setFilter((e.target as HTMLInputElement).value)} /></div>`
          : nothing}
        <button type="button" class="add" aria-expanded=${this.adding ? 'true' : 'false'} @click=${() => this.toggleForm(!this.adding)}>
          ${icon('addContact')}Add contact</button>
      </div>
      ${this.adding ? this.renderForm() : nothing}
      ${this.requests.length ? this.renderRequests() : nothing}
      ${this.renderContacts()}
    `;
  }

  private renderForm() {
    const error = Boolean(this.addError);
    return html`<form aria-label="Add contact" @submit=${this.submitContact}
      @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && this.toggleForm(false)}>
      <label for="add-jid">Address (name@example.org)</label>
      <input id="add-jid" name="jid" autocomplete="off" autocapitalize="none" spellcheck="false" inputmode="email"
        aria-invalid=${error ? 'true' : 'false'} aria-describedby=${error ? 'add-error' : nothing} />
      <label for="add-name">Name</label>
      <input id="add-name" name="name" autocomplete="off" aria-describedby="add-name-hint" />
      <span id="add-name-hint" class="muted">Optional: how the contact is shown here.</span>
      ${error ? html`<p id="add-error" class="error" role="alert">${this.addError}</p>` : nothing}
      <div class="actions">
        <button type="submit" class="primary">Add</button>
        <button type="button" @click=${() => this.toggleForm(false)}>Cancel</button>
      </div>
    </form>`;
  }

  private renderRequests() {
    return html`<section class="requests" aria-label="Contact requests"><ul>
      ${repeat(this.requests, (jid) => jid, (jid, i) => html`<li data-jid=${jid}>
        <jl-avatar .jid=${jid} .name=${jid} .src=${this.avatarOf(jid)} .size=${32}></jl-avatar>
        <p><span class="jid" id="request-${i}">${jid}</span> wants to see when you are online</p>
        <button type="button" class="primary" aria-describedby="request-${i}" @click=${() => this.emit<ContactDetail>('approve-request', { jid })}>Approve</button>
        <button type="button" aria-describedby="request-${i}" @click=${() => this.emit<ContactDetail>('deny-request', { jid })}>Deny</button>
      </li>`)}
    </ul></section>`;
  }

  private renderContacts() {
    if (this.contacts.length === 0) return html`<p class="empty">No contacts yet. Add one with “Add contact”.</p>`;
    const shown = this.shown();
    if (shown.length === 0) return html`<p class="empty" role="status">No contact matches “${this.filter.trim()}”.</p>`;
    const { first, last } = (this.drawn = this.windowOf(shown.length));
    const rowPx = this.rowPx;
    // The rows not drawn are stood in for by padding, so the scrollbar is that of the whole list.
    const padding = `padding-top: ${first * rowPx}px; padding-bottom: ${Math.max(0, shown.length - last) * rowPx}px`;
    // tabindex -1: focus can rest on the list when the focused row scrolls away; Tab still goes to the rows.
    return html`<div class="scroller" tabindex="-1" @scroll=${this.onScroll}><ul class="contacts" aria-label="Contacts" style=${padding}>
      ${repeat(shown.slice(first, last), (c) => c.jid, (c, i) => this.renderContact(c, first + i, shown.length))}
    </ul></div>`;
  }

  private renderContact(contact: Contact, index: number, setSize: number) {
    const presence = presenceOf(contact);
    const status = contact.resources[0]?.status;
    const activity = this.activity.get(contact.jid);
    const selected = this.selected === contact.jid;
    const badge = activity ? BADGE[activity] : undefined;
    return html`<li data-jid=${contact.jid} class=${selected ? 'selected' : ''} aria-current=${selected ? 'true' : nothing}
      aria-setsize=${setSize} aria-posinset=${index + 1}>
      <jl-avatar .jid=${contact.jid} .name=${contact.name} .src=${this.avatarOf(contact.jid)} .presence=${presence}></jl-avatar>
      <span class="who">
        <!-- The name is the button; it covers the whole row (::after), the call buttons stay above it. -->
        <button type="button" class="open ghost" aria-label="Open conversation with ${contact.name}"
          aria-describedby=${badge ? `status-${index} badge-${index}` : `status-${index}`}
          @click=${() => this.emit<ContactDetail>('select-contact', { jid: contact.jid })}><span class="name" title=${contact.name}>${contact.name}</span></button>
        <span class="jid" title=${contact.jid}>${contact.jid}</span>
        <span class="line"><span class="status" id="status-${index}">${presence}${status ? ` — ${status}` : ''}</span>
        ${badge ? html`<span class="badge ${activity}" id="badge-${index}">${icon(badge.icon, 14)}${badge.text}</span>` : nothing}</span>
      </span>
      <span class="calls">${this.callButton(contact, 'audio')}${this.callButton(contact, 'video')}</span>
    </li>`;
  }

  private callButton(contact: Contact, media: CallMedia) {
    const target = this.target(contact, media);
    const label = media === 'video' ? 'Video call' : 'Audio call';
    const why = 'why' in target ? target.why : '';
    const note = 'note' in target ? target.note : undefined;
    return html`<button type="button" class="icon-only" aria-label=${label} title=${why || note || `${label} with ${contact.name}`}
      ?disabled=${Boolean(why)} @click=${() => this.emit<CallRequest>('call', { jid: contact.jid, media })}>
      ${icon(media === 'video' ? 'video' : 'phone')}</button>`;
  }

  private async toggleForm(open: boolean) {
    this.adding = open;
    this.addError = '';
    await this.updateComplete;
    // Focus goes into the form it opens, and back to its button when it closes.
    this.renderRoot.querySelector<HTMLElement>(open ? '#add-jid' : 'button.add')?.focus();
  }

  private submitContact(event: Event) {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const field = (name: string) => (form.elements.namedItem(name) as HTMLInputElement).value;
    const address = parseAccountJid(field('jid'));
    if (!address) {
      // What was typed stays, to be corrected.
      this.addError = INVALID_JID;
      form.querySelector<HTMLInputElement>('#add-jid')?.focus();
      return;
    }
    const name = field('name').trim();
    this.emit<AddContactDetail>('add-contact', name ? { jid: address.bare, name } : { jid: address.bare });
    void this.toggleForm(false);
  }

  private emit<T>(type: string, detail: T) {
    this.dispatchEvent(new CustomEvent<T>(type, { detail, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'jl-contact-list': ContactList;
  }
}
