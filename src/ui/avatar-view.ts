// A contact's picture: their avatar image, else their initials on their
// XEP-0392 colour; round, with an optional presence dot at the corner.
import { LitElement, type PropertyValues, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { styleMap } from 'lit/directives/style-map.js';
import { initials, jidColour } from './jid-colour.ts';
import { controls } from './theme.ts';

export type PresenceState = 'online' | 'away' | 'busy' | 'offline';

// The XEP-0392 colour is the same in both colour schemes, so the letters on it
// are chosen against it, not from the theme. At its lightness 50 every colour
// has a relative luminance near 0.18: white reaches 4.48:1 and black 4.68:1, so
// only pure black passes WCAG AA (4.5:1) there; white serves lighter colours.
const LIGHT_INK = '#ffffff';
const DARK_INK = '#000000';

/** WCAG 2.2 relative luminance of a CSS #rrggbb colour. */
function luminance(colour: string): number {
  const channel = (at: number) => {
    const c = Number.parseInt(colour.slice(at, at + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** White or black, whichever contrasts more with the colour. */
export function inkOn(colour: string): string {
  const l = luminance(colour);
  return 1.05 / (l + 0.05) > (l + 0.05) / 0.05 ? LIGHT_INK : DARK_INK;
}

// Hashing is asynchronous: a colour once known paints at once when its avatar is drawn again.
const colours = new Map<string, string>();

@customElement('jl-avatar')
export class AvatarView extends LitElement {
  static override styles = [
    controls,
    css`
      :host { display: inline-block; position: relative; flex: none; vertical-align: middle; line-height: 1; }
      .face { display: grid; place-items: center; width: 100%; height: 100%; border-radius: var(--jl-radius-round); overflow: hidden;
        background: var(--jl-surface-2); color: var(--jl-text); font-weight: 600; user-select: none; }
      img { width: 100%; height: 100%; object-fit: cover; display: block; }
      .dot { position: absolute; right: 0; bottom: 0; box-sizing: border-box; border-radius: var(--jl-radius-round);
        border: 2px solid var(--jl-surface); background: var(--jl-text-muted); }
      .dot.online { background: var(--jl-ok); }
      .dot.away { background: var(--jl-warn); }
      .dot.busy { background: var(--jl-danger); }
    `,
  ];

  @property() jid = '';
  @property() name = '';
  /** The avatar as a data: URL; without it, the initials. */
  @property() src?: string | undefined;
  /** Width and height in CSS pixels. */
  @property({ type: Number }) size = 40;
  @property() presence?: PresenceState | undefined;

  /** The XEP-0392 colour, once hashed; a neutral token until then. */
  @state() private colour?: string | undefined;
  private colourText = '';

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('jid') || changed.has('name')) this.paint();
    if (changed.has('size')) {
      this.style.width = `${this.size}px`;
      this.style.height = `${this.size}px`;
    }
  }

  private paint(): void {
    // XEP-0392 §3: a nickname stands in where there is no JID.
    const text = this.jid || this.name;
    if (text === this.colourText) return;
    this.colourText = text;
    this.colour = colours.get(text);
    if (this.colour || !text) return;
    jidColour(text).then(
      (colour) => {
        colours.set(text, colour);
        if (this.colourText === text) this.colour = colour;
      },
      // crypto.subtle exists only in secure contexts (a LAN address over http has none): stay neutral.
      () => undefined,
    );
  }

  override render() {
    const dot = Math.max(10, Math.round(this.size * 0.28));
    const face = this.src
      ? html`<img src=${this.src} alt="" width=${this.size} height=${this.size} />`
      : html`<span aria-hidden="true">${initials(this.name || this.jid)}</span>`;
    const tint = this.colour && !this.src ? { background: this.colour, color: inkOn(this.colour) } : {};
    return html`<span class="face" style=${styleMap({ ...tint, fontSize: `${Math.round(this.size * 0.4)}px` })}>${face}</span>
      ${this.presence
        ? html`<span class="dot ${this.presence}" style=${styleMap({ width: `${dot}px`, height: `${dot}px` })}></span>
            <span class="visually-hidden">${this.presence}</span>`
        : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'jl-avatar': AvatarView;
  }
}
