// The conversation with one contact: what was said and the calls made, in one
// timeline, with call buttons above and a composer below.
import { LitElement, type PropertyValues, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { repeat } from 'lit/directives/repeat.js';
import type { CallMedia } from '../media/devices.ts';
import { type ChatEntry, type DeliveryState, MAX_BODY_LENGTH } from '../xmpp/chat.ts';
import './avatar-view.ts';
import { type CallRecord, type TimelineItem, describeCall, mergeTimeline } from './call-record.ts';
import type { CallRequest } from './contact-list.ts';
import { type IconName, icon } from './icons.ts';
import { controls, phoneQuery } from './theme.ts';

export type HistoryState = 'idle' | 'loading' | 'complete' | 'failed';
export interface SendMessageDetail { body: string }
export interface RetryMessageDetail { id: string; body: string }
/** Why each kind of call cannot be made now; absent or empty when it can. */
export interface CallAbility { audio?: string; video?: string }

const DELIVERY: Record<DeliveryState, { icon: IconName; text: string }> = {
  sending: { icon: 'clock', text: 'Sending' },
  sent: { icon: 'check', text: 'Sent' },
  delivered: { icon: 'delivered', text: 'Delivered' },
  failed: { icon: 'alert', text: 'Not sent' },
};

/** The counter shows from here on, before the limit is reached. */
const COUNTER_FROM = MAX_BODY_LENGTH * 0.9;
/** Within this many pixels of the end, the reader is at the newest item. */
const BOTTOM_SLACK = 48;

const clockTime = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayKey = (at: number) => new Date(at).toDateString();

function dayLabel(at: number, now = new Date()): string {
  const day = new Date(at);
  if (day.toDateString() === now.toDateString()) return 'Today';
  const yesterday = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1);
  if (day.toDateString() === yesterday.toDateString()) return 'Yesterday';
  const year = day.getFullYear() === now.getFullYear() ? {} : { year: 'numeric' as const };
  return day.toLocaleDateString(undefined, { weekday: 'long', day: 'numeric', month: 'long', ...year });
}

const itemKey = (item: TimelineItem) => (item.kind === 'message' ? `m:${item.entry.id}` : `c:${item.record.id}`);

@customElement('jl-conversation')
export class ConversationView extends LitElement {
  static override styles = [
    controls,
    css`
      :host { display: flex; flex-direction: column; min-width: 0; min-height: 0; height: 100%; background: var(--jl-surface); }
      header { display: flex; align-items: center; gap: var(--jl-space-3); padding: var(--jl-space-2) var(--jl-space-4);
        border-bottom: 1px solid var(--jl-border); }
      .who { flex: 1; min-width: 0; }
      .who h2 { margin: 0; font-size: var(--jl-text-m); }
      .who h2, .who .jid { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
      .who .jid { display: block; font-size: var(--jl-text-s); }
      .log { flex: 1; min-height: 0; overflow-y: auto; padding: var(--jl-space-3) var(--jl-space-4); display: flex; flex-direction: column;
        gap: var(--jl-space-2); overscroll-behavior: contain; }
      .history { align-self: center; display: grid; justify-items: center; gap: var(--jl-space-2); text-align: center; }
      .history button, .retry { min-height: 2.75rem; }
      .history p { margin: 0; }
      .error, .not-sent { color: var(--jl-danger); }
      .empty { align-self: center; margin: auto 0; }
      .day { align-self: center; margin: var(--jl-space-3) 0 var(--jl-space-1); font-size: var(--jl-text-s); font-weight: 600; }
      .message { display: flex; flex-direction: column; align-items: flex-start; max-width: min(36rem, 80%); }
      .message.out { align-self: flex-end; align-items: flex-end; }
      .bubble { padding: var(--jl-space-2) var(--jl-space-3); border-radius: var(--jl-radius-l); background: var(--jl-bubble-in);
        color: var(--jl-bubble-in-text); min-width: 0; max-width: 100%; box-sizing: border-box; }
      .out .bubble { background: var(--jl-bubble-out); color: var(--jl-bubble-out-text); }
      .body { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
      .meta { display: flex; align-items: center; justify-content: flex-end; gap: var(--jl-space-1); font-size: var(--jl-text-s); margin-top: 2px; }
      .failure { display: flex; align-items: center; gap: var(--jl-space-2); margin-top: var(--jl-space-1); font-size: var(--jl-text-s); }
      .call { align-self: center; display: flex; flex-wrap: wrap; align-items: center; justify-content: center; gap: var(--jl-space-2);
        padding: var(--jl-space-1) var(--jl-space-3); border-radius: var(--jl-radius-round); background: var(--jl-surface-2);
        color: var(--jl-text); font-size: var(--jl-text-s); text-align: center; max-width: 90%; }
      .call time { color: var(--jl-text-muted); }
      .call .inspect { font-size: var(--jl-text-s); padding: 0 var(--jl-space-2); min-height: 1.75rem; }
      .call[data-missed] { color: var(--jl-danger); font-weight: 600; }
      form { display: grid; grid-template-columns: 1fr auto; align-items: end; gap: var(--jl-space-1) var(--jl-space-2);
        padding: var(--jl-space-2) var(--jl-space-4) var(--jl-space-3); border-top: 1px solid var(--jl-border); }
      textarea { width: 100%; min-height: 2.75rem; max-height: 9rem; resize: none; field-sizing: content; }
      textarea[aria-invalid='true'] { border-color: var(--jl-danger); }
      .limit { grid-column: 1 / -1; display: flex; justify-content: space-between; gap: var(--jl-space-2); font-size: var(--jl-text-s); }
      .limit p { margin: 0; }
      .count { margin-left: auto; font-variant-numeric: tabular-nums; }
      @media ${phoneQuery} {
        header, .log, form { padding-left: var(--jl-space-2); padding-right: var(--jl-space-2); }
        .message { max-width: 88%; }
      }
    `,
  ];

  @property({ attribute: 'peer-jid' }) peerJid = '';
  @property({ attribute: 'peer-name' }) peerName = '';
  /** The contact's avatar as a data: URL. */
  @property() avatar?: string | undefined;
  /** Oldest first. */
  @property({ attribute: false }) entries: readonly ChatEntry[] = [];
  @property({ attribute: false }) calls: readonly CallRecord[] = [];
  /** The calls the inspector has a recording of, by session id. */
  @property({ attribute: false }) inspectable: ReadonlySet<string> = new Set();
  @property() history: HistoryState = 'idle';
  @property({ attribute: false }) historyError?: string | undefined;
  @property({ attribute: false }) canCall: CallAbility = {};
  /** On a phone the conversation replaces the contact list: a way back to it. */
  @property({ type: Boolean, attribute: 'show-back' }) showBack = false;

  /** What is typed and not yet sent. */
  @state() private draft = '';
  @query('.log') private log?: HTMLElement;

  /** Where the reader was before the timeline changed, to keep or follow their place. */
  private place?: { atBottom: boolean; fromBottom: number; firstKey: string | undefined; lastKey: string | undefined };
  private items: TimelineItem[] = [];

  private get name(): string {
    return this.peerName || this.peerJid;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('entries') && !changed.has('calls')) return;
    const log = this.log;
    const fromBottom = log ? log.scrollHeight - log.scrollTop - log.clientHeight : 0;
    this.place = { atBottom: fromBottom <= BOTTOM_SLACK, fromBottom, firstKey: this.keyAt(0), lastKey: this.keyAt(-1) };
    this.items = mergeTimeline(this.entries, this.calls);
  }

  protected override updated(): void {
    const place = this.place;
    const log = this.log;
    this.place = undefined;
    if (!place || !log) return;
    const newest = this.items.at(-1);
    const appended = this.keyAt(-1) !== place.lastKey;
    // What we send ourselves is followed even from further up.
    const ours = newest?.kind === 'message' && newest.entry.direction === 'out';
    if (appended && (place.atBottom || ours)) log.scrollTop = log.scrollHeight;
    // Earlier messages came in above: what the reader was looking at stays put.
    else if (this.keyAt(0) !== place.firstKey) log.scrollTop = log.scrollHeight - log.clientHeight - place.fromBottom;
  }

  private keyAt(index: number): string | undefined {
    const item = this.items.at(index);
    return item && itemKey(item);
  }

  override render() {
    return html`${this.renderHeader()}
      <div class="log" role="log" aria-label="Conversation with ${this.name}" aria-live="polite" tabindex="0">
        ${this.renderHistory()} ${this.renderItems()}
      </div>
      ${this.renderComposer()}`;
  }

  private renderHeader() {
    return html`<header>
      ${this.showBack
        ? html`<button class="icon-only ghost back" aria-label="Back to contacts" @click=${() => this.emit('back', undefined)}>${icon('back')}</button>`
        : nothing}
      <jl-avatar .jid=${this.peerJid} .name=${this.name} .src=${this.avatar} .size=${40}></jl-avatar>
      <div class="who">
        <h2>${this.name}</h2>
        <span class="jid muted">${this.peerJid}</span>
      </div>
      ${this.callButton('audio')} ${this.callButton('video')}
    </header>`;
  }

  private callButton(media: CallMedia) {
    const label = media === 'video' ? 'Video call' : 'Audio call';
    const why = this.canCall[media];
    return html`<button class="icon-only call-${media}" aria-label=${label} title=${why || `${label} with ${this.name}`} ?disabled=${Boolean(why)}
      @click=${() => this.emit<CallRequest>('call', { jid: this.peerJid, media })}>${icon(media === 'video' ? 'video' : 'phone')}</button>`;
  }

  private renderHistory() {
    const load = () => this.emit('load-history', undefined);
    switch (this.history) {
      case 'complete':
        return this.items.length ? nothing : html`<p class="empty muted">No messages yet</p>`;
      case 'loading':
        return html`<div class="history"><button class="load" aria-disabled="true">Loading…</button></div>`;
      case 'failed':
        return html`<div class="history">
          <p class="error">${this.historyError || 'Earlier messages could not be loaded'}</p>
          <button class="load" @click=${load}>Try again</button>
        </div>`;
      default:
        return html`<div class="history"><button class="load" @click=${load}>Load earlier messages</button></div>`;
    }
  }

  private renderItems() {
    // Each day opens with its separator, keyed by the day so that it moves with its items.
    const pieces: ({ key: string; day: number } | { key: string; item: TimelineItem })[] = [];
    let day = '';
    for (const item of this.items) {
      if (dayKey(item.at) !== day) pieces.push({ key: `d:${(day = dayKey(item.at))}`, day: item.at });
      pieces.push({ key: itemKey(item), item });
    }
    return repeat(pieces, (p) => p.key, (p) =>
      'day' in p ? html`<div class="day muted">${dayLabel(p.day)}</div>` : p.item.kind === 'message' ? this.renderMessage(p.item.entry) : this.renderCall(p.item.record));
  }

  private renderMessage(entry: ChatEntry) {
    const ours = entry.direction === 'out';
    const delivery = ours && entry.state ? DELIVERY[entry.state] : undefined;
    return html`<div class="message ${ours ? 'out' : 'in'}" data-kind="message" data-id=${entry.id} data-state=${entry.state ?? nothing}>
      <div class="bubble">
        <p class="body">${entry.body}</p>
        <span class="meta">
          <time datetime=${new Date(entry.at).toISOString()}>${clockTime.format(entry.at)}</time>
          ${delivery && entry.state !== 'failed' ? html`${icon(delivery.icon, 14)}<span class="visually-hidden">${delivery.text}</span>` : nothing}
        </span>
      </div>
      ${entry.state === 'failed'
        ? html`<div class="failure">
            <span class="not-sent">${icon('alert', 16)} Not sent</span>
            <button class="retry" @click=${() => this.emit<RetryMessageDetail>('retry-message', { id: entry.id, body: entry.body })}>Retry</button>
          </div>`
        : nothing}
    </div>`;
  }

  private renderCall(record: CallRecord) {
    const missed = record.outcome === 'missed';
    const glyph: IconName = missed ? 'missed' : record.direction;
    return html`<div class="call" data-kind="call" data-id=${record.id} ?data-missed=${missed}>
      ${icon(glyph, 16)}<span class="text">${describeCall(record)}</span>
      <time datetime=${new Date(record.at).toISOString()}>${clockTime.format(record.at)}</time>
      ${this.inspectable.has(record.id)
        ? html`<button class="inspect ghost" title="The stanzas, SDP and media figures of this call"
            @click=${() => this.dispatchEvent(new CustomEvent('inspect', { detail: { sid: record.id }, bubbles: true, composed: true }))}>Inspector</button>`
        : nothing}
    </div>`;
  }

  private renderComposer() {
    const length = this.draft.length;
    const over = length - MAX_BODY_LENGTH;
    return html`<form aria-label="Send a message" @submit=${this.onSubmit}>
      <textarea rows="1" aria-label="Message" placeholder="Message ${this.name}" .value=${live(this.draft)} aria-invalid=${over > 0 ? 'true' : 'false'}
        aria-describedby="limit" @input=${this.onInput} @keydown=${this.onKeydown}></textarea>
      <button type="submit" class="primary icon-only send" aria-label="Send">${icon('send')}</button>
      <div class="limit" id="limit" aria-live="polite">
        ${over > 0 ? html`<p class="error">Too long to send: remove ${over} character${over === 1 ? '' : 's'}.</p>` : nothing}
        ${length >= COUNTER_FROM ? html`<span class="count ${over > 0 ? 'error' : 'muted'}">${length} / ${MAX_BODY_LENGTH}</span>` : nothing}
      </div>
    </form>`;
  }

  private onInput(event: Event): void {
    this.draft = (event.target as HTMLTextAreaElement).value;
  }

  private onKeydown(event: KeyboardEvent): void {
    // Enter while an input method composes a character picks the character.
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
    event.preventDefault();
    this.send();
  }

  private onSubmit(event: Event): void {
    event.preventDefault();
    this.send();
  }

  /** Sends the draft, trimmed; an empty or over-long one stays in the field. */
  private send(): void {
    const body = this.draft.trim();
    if (!body || this.draft.length > MAX_BODY_LENGTH) return;
    this.emit<SendMessageDetail>('send-message', { body });
    this.draft = '';
  }

  private emit<T>(type: string, detail: T): void {
    this.dispatchEvent(new CustomEvent<T>(type, { detail, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'jl-conversation': ConversationView;
  }
}
