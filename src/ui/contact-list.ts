// The roster: each contact with their avatar, live presence and a call button
// per medium; a filter, the contact requests waiting for an answer, and a form
// to add a contact.
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { CallMedia } from '../media/devices.ts';
import { parseAccountJid } from '../xmpp/jid.ts';
import type { Contact } from '../xmpp/roster.ts';
import './avatar-view.ts';
import type { PresenceState } from './avatar-view.ts';
import { icon } from './icons.ts';
import { controls, phoneQuery } from './theme.ts';

export interface CallRequest {
  jid: string;
  media: CallMedia;
}

/** The device a call button calls (with a note for its tooltip), or why it cannot call. */
export type CallTarget = { jid: string; via: 'jmi' | 'direct'; note?: string } | { why: string };

/** A call with the contact is on, or was missed. */
export type ContactActivity = 'active' | 'missed';

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

// Calls on now come first, then missed ones, then everyone else in roster order.
const ACTIVITY_RANK: Record<ContactActivity, number> = { active: 0, missed: 1 };
const BADGE: Record<ContactActivity, { text: string; icon: 'phone' | 'missed' }> = {
  active: { text: 'In call', icon: 'phone' },
  missed: { text: 'Missed call', icon: 'missed' },
};

export const INVALID_JID = 'That address is not a valid JID. Write it as name@example.org.';

@customElement('jl-contact-list')
export class ContactList extends LitElement {
  static override styles = [
    controls,
    css`
      :host { display: grid; gap: var(--jl-space-3); min-width: 0; }
      ul { list-style: none; margin: 0; padding: 0; display: grid; gap: var(--jl-space-2); }
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
      .contacts li.selected { background: var(--jl-accent-soft); border-color: var(--jl-accent); }
      .contacts li { position: relative; }
      button.open { justify-content: flex-start; min-height: 0; padding: 0; border: 0; background: transparent; text-align: start; }
      button.open::after { content: ''; position: absolute; inset: 0; border-radius: var(--jl-radius-m); }
      button.open:hover:not(:disabled) { background: transparent; }
      .contacts li:hover { background: var(--jl-surface-2); }
      .contacts li.selected:hover { background: var(--jl-accent-soft); }
      button.open:focus-visible { outline: none; }
      button.open:focus-visible::after { outline: 3px solid var(--jl-focus); outline-offset: -3px; }
      .calls { position: relative; z-index: 1; }
      .who { display: grid; flex: 1 1 auto; min-width: 0; gap: 0.1rem; }
      .name { font-weight: 600; overflow-wrap: anywhere; }
      .who .jid, .status { color: var(--jl-text-muted); font-size: var(--jl-text-s); overflow-wrap: anywhere; }
      .badge { display: inline-flex; align-items: center; gap: var(--jl-space-1); justify-self: start; font-size: var(--jl-text-s); font-weight: 600;
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

  @state() private filter = '';
  @state() private adding = false;
  @state() private addError = '';

  override render() {
    return html`
      <div class="tools">
        ${this.contacts.length
          ? html`<div class="filter">${icon('search')}<input type="search" aria-label="Filter contacts" placeholder="Filter contacts"
              autocomplete="off" .value=${this.filter} @input=${(e: Event) => (this.filter = (e.target as HTMLInputElement).value)} /></div>`
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
    const needle = this.filter.trim().toLocaleLowerCase();
    const rank = (c: Contact) => {
      const activity = this.activity.get(c.jid);
      return activity ? ACTIVITY_RANK[activity] : 2;
    };
    const shown = this.contacts
      .filter((c) => !needle || c.name.toLocaleLowerCase().includes(needle) || c.jid.toLocaleLowerCase().includes(needle))
      .sort((a, b) => rank(a) - rank(b));
    if (shown.length === 0) return html`<p class="empty" role="status">No contact matches “${this.filter.trim()}”.</p>`;
    return html`<ul class="contacts" aria-label="Contacts">
      ${repeat(shown, (c) => c.jid, (c, i) => this.renderContact(c, i))}
    </ul>`;
  }

  private renderContact(contact: Contact, index: number) {
    const presence = presenceOf(contact);
    const status = contact.resources[0]?.status;
    const activity = this.activity.get(contact.jid);
    const selected = this.selected === contact.jid;
    const badge = activity ? BADGE[activity] : undefined;
    return html`<li data-jid=${contact.jid} class=${selected ? 'selected' : ''} aria-current=${selected ? 'true' : nothing}>
      <jl-avatar .jid=${contact.jid} .name=${contact.name} .src=${this.avatarOf(contact.jid)} .presence=${presence}></jl-avatar>
      <span class="who">
        <!-- The name is the button; it covers the whole row (::after), the call buttons stay above it. -->
        <button type="button" class="open ghost" aria-label="Open conversation with ${contact.name}"
          aria-describedby=${badge ? `status-${index} badge-${index}` : `status-${index}`}
          @click=${() => this.emit<ContactDetail>('select-contact', { jid: contact.jid })}><span class="name">${contact.name}</span></button>
        <span class="jid">${contact.jid}</span>
        <span class="status" id="status-${index}">${presence}${status ? ` — ${status}` : ''}</span>
        ${badge ? html`<span class="badge ${activity}" id="badge-${index}">${icon(badge.icon, 14)}${badge.text}</span>` : nothing}
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
