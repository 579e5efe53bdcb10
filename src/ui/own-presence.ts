// The user's own card: avatar, address, the presence and status message
// others see, and a way to change the avatar.
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { AVATAR_TYPES } from '../xmpp/avatar-image.ts';
import { bareJid } from '../xmpp/jid.ts';
import type { OwnShow } from '../xmpp/roster.ts';
import './avatar-view.ts';
import type { PresenceState } from './avatar-view.ts';
import { controls } from './theme.ts';

export interface PresenceChangeDetail {
  show: OwnShow;
  status: string;
}

export interface AvatarFileDetail {
  file: File;
}

/** The longest status message the field takes. */
export const MAX_STATUS_LENGTH = 200;

const SHOWS: readonly { show: OwnShow; label: string; presence: PresenceState }[] = [
  { show: 'available', label: 'Online', presence: 'online' },
  { show: 'away', label: 'Away', presence: 'away' },
  { show: 'dnd', label: 'Busy', presence: 'busy' },
];

@customElement('jl-own-presence')
export class OwnPresence extends LitElement {
  static override styles = [
    controls,
    css`
      :host { display: block; min-width: 0; }
      .card { display: grid; grid-template-columns: auto minmax(0, 1fr) auto; grid-template-areas: 'avatar who file' 'fields fields fields';
        gap: var(--jl-space-1) var(--jl-space-3); align-items: center; }
      .card > jl-avatar { grid-area: avatar; }
      .who { grid-area: who; display: flex; flex-wrap: wrap; align-items: baseline; gap: 0 var(--jl-space-2); min-width: 0; }
      .name { font-weight: 600; overflow-wrap: anywhere; }
      .jid { color: var(--jl-text-muted); font-size: var(--jl-text-s); overflow-wrap: anywhere; }
      .fields { grid-area: fields; display: flex; gap: var(--jl-space-2); min-width: 0; }
      select, input.status { min-height: 2.25rem; font-size: var(--jl-text-s); }
      select { flex: 0 1 7rem; min-width: 0; }
      input.status { flex: 1 1 10rem; min-width: 0; }
      input::placeholder { color: var(--jl-text-muted); opacity: 1; }
      .avatar { grid-area: file; display: grid; gap: var(--jl-space-1); justify-items: end; }
      label.file { display: inline-flex; align-items: center; min-height: 2.25rem; padding: 0 var(--jl-space-3); border: 1px solid var(--jl-border); font-size: var(--jl-text-s);
        border-radius: var(--jl-radius-s); background: var(--jl-surface); cursor: pointer; position: relative; }
      label.file:hover { background: var(--jl-surface-2); }
      label.file:focus-within { outline: 3px solid var(--jl-focus); outline-offset: 2px; }
      .error { margin: 0; color: var(--jl-danger); overflow-wrap: anywhere; }
    `,
  ];

  /** Our JID, bare or full. */
  @property() jid = '';
  @property() name = '';
  /** Our avatar as a data: URL. */
  @property() avatar?: string | undefined;
  @property() show: OwnShow = 'available';
  @property() status = '';
  /** Why the last avatar could not be published. */
  @property() avatarError?: string | undefined;

  override render() {
    const presence = SHOWS.find((s) => s.show === this.show)?.presence ?? 'online';
    const bare = bareJid(this.jid);
    const named = this.name && this.name !== this.jid && this.name !== bare;
    return html`<div class="card">
      <jl-avatar .jid=${bare} .name=${this.name || bare} .src=${this.avatar} .size=${48} .presence=${presence}></jl-avatar>
      <div class="who">
        ${named ? html`<span class="name">${this.name}</span>` : nothing}
        <span class=${named ? 'jid' : 'name'}>${this.jid}</span>
      </div>
      <div class="fields">
        <label class="visually-hidden" for="show">Your presence</label>
        <select id="show" .value=${this.show} @change=${(e: Event) => this.commit({ show: (e.target as HTMLSelectElement).value as OwnShow })}>
          ${SHOWS.map((s) => html`<option value=${s.show} ?selected=${s.show === this.show}>${s.label}</option>`)}
        </select>
        <label class="visually-hidden" for="status">Status message</label>
        <input id="status" class="status" maxlength=${MAX_STATUS_LENGTH} placeholder="Status message" autocomplete="off" .value=${this.status}
          @change=${() => this.commit({})} @keydown=${this.statusKey} />
      </div>
      <div class="avatar">
        <label class="file">Change avatar<input class="visually-hidden" type="file" accept=${AVATAR_TYPES.join(',')}
          aria-describedby=${this.avatarError ? 'avatar-error' : nothing} @change=${this.pickAvatar} /></label>
        ${this.avatarError ? html`<p id="avatar-error" class="error" role="alert">${this.avatarError}</p>` : nothing}
      </div>
    </div>`;
  }

  private get statusField(): HTMLInputElement | null {
    return this.renderRoot.querySelector<HTMLInputElement>('#status');
  }

  private statusKey(event: KeyboardEvent) {
    if (event.key === 'Enter') this.commit({});
    else if (event.key === 'Escape' && this.statusField) this.statusField.value = this.status;
  }

  /** Announces the presence picked with the status message as typed; the same twice is said once. */
  private commit(change: { show?: OwnShow }) {
    const show = change.show ?? this.show;
    const status = (this.statusField?.value ?? this.status).trim().slice(0, MAX_STATUS_LENGTH);
    if (show === this.show && status === this.status) return;
    this.show = show;
    this.status = status;
    this.dispatchEvent(new CustomEvent<PresenceChangeDetail>('presence-change', { detail: { show, status }, bubbles: true, composed: true }));
  }

  private pickAvatar(event: Event) {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    // Cleared, so that choosing the same file again (after an error) is a change.
    input.value = '';
    if (!file) return;
    this.dispatchEvent(new CustomEvent<AvatarFileDetail>('avatar-file', { detail: { file }, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'jl-own-presence': OwnPresence;
  }
}
