// The keyboard shortcuts, listed in a modal dialog.
import { LitElement, type PropertyValues, css, html } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { icon } from './icons.ts';
import { SHORTCUTS } from './shortcuts.ts';
import { controls } from './theme.ts';

@customElement('jl-shortcuts-help')
export class ShortcutsHelp extends LitElement {
  static override styles = [
    controls,
    css`
      dialog { box-sizing: border-box; width: min(26rem, calc(100vw - 2 * var(--jl-space-4))); padding: var(--jl-space-5);
        background: var(--jl-surface); color: var(--jl-text); border: 1px solid var(--jl-border); border-radius: var(--jl-radius-l);
        box-shadow: var(--jl-shadow); }
      dialog::backdrop { background: color-mix(in srgb, var(--jl-stage) 60%, transparent); }
      h2 { display: flex; align-items: center; gap: var(--jl-space-2); margin: 0 0 var(--jl-space-4); font-size: var(--jl-text-l); }
      dl { display: grid; grid-template-columns: auto 1fr; gap: var(--jl-space-3) var(--jl-space-4); align-items: center; margin: 0; }
      dl > div { display: contents; }
      dt, dd { margin: 0; }
      kbd { display: inline-block; min-width: 1.75rem; padding: var(--jl-space-1) var(--jl-space-2); box-sizing: border-box; text-align: center;
        font-family: var(--jl-font-mono); background: var(--jl-surface-2); border: 1px solid var(--jl-border); border-bottom-width: 2px;
        border-radius: var(--jl-radius-s); }
      p { margin: var(--jl-space-4) 0; font-size: var(--jl-text-s); }
      .close { display: flex; justify-content: flex-end; }
    `,
  ];

  /** Shown as a modal dialog while true; false again when the user closes it. */
  @property({ type: Boolean, reflect: true }) open = false;

  @query('dialog') private dialog!: HTMLDialogElement;

  protected override updated(changed: PropertyValues<this>): void {
    if (!changed.has('open')) return;
    const dialog = this.dialog;
    const shown = dialog.hasAttribute('open');
    if (this.open && !shown) {
      if (typeof dialog.showModal === 'function') dialog.showModal();
      else {
        // No <dialog> support: shown, not modal; focus goes where showModal() would put it.
        dialog.setAttribute('open', '');
        dialog.querySelector('button')?.focus();
      }
    } else if (!this.open && shown) hide(dialog);
  }

  override render() {
    return html`<dialog aria-labelledby="shortcuts-title" @keydown=${this.onKeydown} @close=${this.dismiss}>
      <h2 id="shortcuts-title">${icon('keyboard')}Keyboard shortcuts</h2>
      <dl>
        ${SHORTCUTS.map((s) => html`<div><dt><kbd>${s.key}</kbd></dt><dd>${s.label}</dd></div>`)}
      </dl>
      <p class="muted">They work anywhere but in a text field.</p>
      <div class="close"><button @click=${this.dismiss}>${icon('close')}Close</button></div>
    </dialog>`;
  }

  private onKeydown(event: KeyboardEvent): void {
    if (event.key !== 'Escape') return;
    // Closed here, not by the browser's cancel: the same path with or without <dialog> support.
    event.preventDefault();
    this.dismiss();
  }

  /** The user closes it (Escape, the button, or the browser's own close). */
  private dismiss(): void {
    hide(this.dialog);
    if (!this.open) return;
    this.open = false;
    this.dispatchEvent(new Event('close'));
  }
}

function hide(dialog: HTMLDialogElement): void {
  if (typeof dialog.close === 'function') dialog.close();
  else dialog.removeAttribute('open');
}
