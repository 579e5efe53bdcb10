// The roster with live presence and a call button per medium.
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { CallMedia } from '../media/devices.ts';
import type { Contact } from '../xmpp/roster.ts';

export interface CallRequest {
  jid: string;
  media: CallMedia;
}

/** Whom a call button would call, or why it cannot. */
/** The device a call button calls (with a note for its tooltip), or why it cannot call. */
export type CallTarget = { jid: string; via: 'jmi' | 'direct'; note?: string } | { why: string };

const SHOW_TEXT: Record<string, string> = { available: 'online', chat: 'online', away: 'away', xa: 'away', dnd: 'busy' };

@customElement('jl-contact-list')
export class ContactList extends LitElement {
  static override styles = css`
    ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.5rem; }
    li { display: flex; align-items: center; gap: 0.75rem; padding: 0.6rem 0.75rem; border: 1px solid #dde2e8; border-radius: 8px; }
    .who { flex: 1; min-width: 0; }
    .name { font-weight: 600; }
    .jid, .presence { color: #667; font-size: 0.85rem; overflow-wrap: anywhere; }
    .dot { width: 0.7rem; height: 0.7rem; border-radius: 50%; background: #b8bfc9; flex: none; }
    .dot.online { background: #1f9d55; }
    .dot.away { background: #e0a100; }
    .dot.busy { background: #c8321e; }
    button { font: inherit; padding: 0.35rem 0.7rem; border-radius: 6px; border: 1px solid #1d5fd1; background: white; color: #1d5fd1; cursor: pointer; }
    button[disabled] { border-color: #c9ced6; color: #9aa1ab; cursor: not-allowed; }
    .empty { color: #667; }
  `;

  @property({ attribute: false }) contacts: readonly Contact[] = [];
  /** Decides each call button: the device to call, or why not. */
  @property({ attribute: false }) target: (contact: Contact, media: CallMedia) => CallTarget = () => ({ why: '' });

  override render() {
    if (this.contacts.length === 0) return html`<p class="empty">No contacts yet.</p>`;
    return html`<ul aria-label="Contacts">
      ${this.contacts.map((c) => this.renderContact(c))}
    </ul>`;
  }

  private renderContact(contact: Contact) {
    const best = contact.resources[0];
    const presence = best ? SHOW_TEXT[best.show] ?? 'online' : 'offline';
    return html`<li data-jid=${contact.jid}>
      <span class="dot ${presence}" aria-hidden="true"></span>
      <div class="who">
        <div class="name">${contact.name}</div>
        <div class="jid">${contact.jid}</div>
        <div class="presence">${presence}${best?.status ? html` — ${best.status}` : null}</div>
      </div>
      ${this.button(contact, 'audio')} ${this.button(contact, 'video')}
    </li>`;
  }

  private button(contact: Contact, media: CallMedia) {
    const target = this.target(contact, media);
    const label = media === 'video' ? 'Video call' : 'Audio call';
    const why = 'why' in target ? target.why : '';
    const note = 'note' in target ? target.note : undefined;
    return html`<button aria-label=${label} title=${why || note || `${label} with ${contact.name}`} ?disabled=${Boolean(why)}
      @click=${() => this.request(contact, media)}>${media === 'video' ? 'Video' : 'Audio'}</button>`;
  }

  private request(contact: Contact, media: CallMedia) {
    this.dispatchEvent(new CustomEvent<CallRequest>('call', { detail: { jid: contact.jid, media }, bubbles: true, composed: true }));
  }
}
