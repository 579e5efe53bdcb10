// The microphone, camera and speaker to use: before a call (remembered for
// the next) and during one (switched at once). It lists what the browser
// has, follows devices plugged in or out, and says what it cannot do.
import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import {
  type DeviceChoice, type DeviceKind, type DeviceLists, canChooseSpeaker, listDevices, loadChoice, saveChoice, watchDevices,
} from '../media/device-choice.ts';

/** Fired when the user picks a device: `detail` says which. */
export type DevicePickedEvent = CustomEvent<{ kind: DeviceKind; id: string }>;

const LABELS: Record<DeviceKind, string> = { microphone: 'Microphone', camera: 'Camera', speaker: 'Speaker' };

@customElement('jl-device-settings')
export class DeviceSettings extends LitElement {
  static override styles = css`
    :host { display: block; }
    form { display: grid; gap: 0.6rem; }
    label { display: grid; gap: 0.2rem; font-weight: 600; font-size: 0.95rem; }
    select { font: inherit; font-weight: normal; padding: 0.35rem; border-radius: 6px; border: 1px solid var(--jl-border); background: var(--jl-surface); color: var(--jl-text); max-width: 100%; }
    p { margin: 0; color: var(--jl-text-muted); font-size: 0.9rem; }
  `;

  /**
   * Where the choice goes: `remember` keeps it for the next call; `call`
   * fires `device-picked` for the call to switch (and remember) it.
   */
  @property() mode: 'remember' | 'call' = 'remember';
  /** The devices in use now, when a call runs; the remembered ones otherwise. */
  @property({ attribute: false }) inUse?: DeviceChoice;

  @state() private lists?: DeviceLists;
  @state() private choice: DeviceChoice = loadChoice();
  private stopWatching?: () => void;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.refresh();
    this.stopWatching = watchDevices(() => void this.refresh());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopWatching?.();
  }

  private async refresh(): Promise<void> {
    this.lists = await listDevices();
    this.choice = loadChoice();
  }

  private pick(kind: DeviceKind, id: string): void {
    this.choice = { ...this.choice, [kind]: id };
    if (this.mode === 'remember') saveChoice(this.choice);
    this.dispatchEvent(new CustomEvent('device-picked', { detail: { kind, id }, bubbles: true, composed: true }));
  }

  override render() {
    const lists = this.lists;
    if (!lists) return html`<p role="status">Looking for devices…</p>`;
    const kinds: DeviceKind[] = canChooseSpeaker() ? ['microphone', 'camera', 'speaker'] : ['microphone', 'camera'];
    const chosen = { ...this.choice, ...this.inUse };
    return html`<form @submit=${(e: Event) => e.preventDefault()}>
      ${kinds.map((kind) => {
        const options = lists[kind];
        if (options.length === 0) return html`<p data-missing=${kind}>No ${LABELS[kind].toLowerCase()} found.</p>`;
        const current = options.some((o) => o.id === chosen[kind]) ? chosen[kind] : options[0]!.id;
        return html`<label>${LABELS[kind]}
          <select name=${kind} @change=${(e: Event) => this.pick(kind, (e.target as HTMLSelectElement).value)}>
            ${options.map((o) => html`<option value=${o.id} ?selected=${o.id === current}>${o.label}</option>`)}
          </select>
        </label>`;
      })}
      ${canChooseSpeaker() ? null : html`<p>This browser plays calls on the system’s speaker; it cannot choose another.</p>`}
    </form>`;
  }
}
