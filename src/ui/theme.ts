// The design system: colour, spacing, type and radius tokens as CSS custom
// properties on the document (they reach every shadow root), light and dark
// following the system or the user's choice, and the control styles every
// component shares.
import { css, unsafeCSS } from 'lit';

export type ThemeChoice = 'system' | 'light' | 'dark';
export const THEME_KEY = 'jinglelab.theme';

const LIGHT = `
  --jl-bg: #f4f6f9; --jl-surface: #ffffff; --jl-surface-2: #eef1f5; --jl-border: #cfd6df;
  --jl-text: #17202b; --jl-text-muted: #4d5968; --jl-accent: #1a56c2; --jl-accent-text: #ffffff; --jl-accent-soft: #e5edfb;
  --jl-ok: #157a43; --jl-warn: #8a5a00; --jl-warn-soft: #fff3d6; --jl-danger: #b42318; --jl-danger-text: #ffffff;
  --jl-stage: #111820; --jl-stage-text: #e8edf3; --jl-focus: #1a56c2; --jl-shadow: 0 1px 3px rgb(16 24 40 / 0.12), 0 8px 24px rgb(16 24 40 / 0.08);
  --jl-bubble-out: #1a56c2; --jl-bubble-out-text: #ffffff; --jl-bubble-in: #eef1f5; --jl-bubble-in-text: #17202b;
  color-scheme: light;`;

const DARK = `
  --jl-bg: #0f141a; --jl-surface: #171e26; --jl-surface-2: #212a35; --jl-border: #3a4654;
  --jl-text: #e8edf3; --jl-text-muted: #a9b4c1; --jl-accent: #7aa7ff; --jl-accent-text: #0b1220; --jl-accent-soft: #1f2d45;
  --jl-ok: #4cc38a; --jl-warn: #f0c05a; --jl-warn-soft: #3a2f14; --jl-danger: #ff8577; --jl-danger-text: #1a0b09;
  --jl-stage: #05080b; --jl-stage-text: #e8edf3; --jl-focus: #9cc0ff; --jl-shadow: 0 1px 3px rgb(0 0 0 / 0.5), 0 8px 24px rgb(0 0 0 / 0.4);
  --jl-bubble-out: #2f5fb8; --jl-bubble-out-text: #ffffff; --jl-bubble-in: #212a35; --jl-bubble-in-text: #e8edf3;
  color-scheme: dark;`;

const SCALE = `
  --jl-space-1: 0.25rem; --jl-space-2: 0.5rem; --jl-space-3: 0.75rem; --jl-space-4: 1rem; --jl-space-5: 1.5rem; --jl-space-6: 2rem;
  --jl-radius-s: 6px; --jl-radius-m: 10px; --jl-radius-l: 16px; --jl-radius-round: 999px;
  --jl-font: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; --jl-font-mono: ui-monospace, 'SFMono-Regular', Menlo, monospace;
  --jl-text-s: 0.85rem; --jl-text-m: 1rem; --jl-text-l: 1.2rem; --jl-text-xl: 1.6rem;`;

/** The document-level sheet: tokens for both schemes, chosen by `data-theme` on <html> or by the system. */
export const DOCUMENT_CSS = `
  :root { ${SCALE} ${LIGHT} }
  @media (prefers-color-scheme: dark) { :root:not([data-theme='light']) { ${DARK} } }
  :root[data-theme='dark'] { ${DARK} }
  html, body { margin: 0; background: var(--jl-bg); color: var(--jl-text); font-family: var(--jl-font); }
`;

/** Puts the tokens on the document and applies the stored choice. */
export function installTheme(doc: Document = document, storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): void {
  if (!doc.getElementById('jl-tokens')) {
    const style = doc.createElement('style');
    style.id = 'jl-tokens';
    style.textContent = DOCUMENT_CSS;
    doc.head.append(style);
  }
  applyTheme(storedTheme(storage), doc);
}

export function storedTheme(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): ThemeChoice {
  const value = storage?.getItem(THEME_KEY);
  return value === 'light' || value === 'dark' ? value : 'system';
}

export function applyTheme(choice: ThemeChoice, doc: Document = document): void {
  if (choice === 'system') doc.documentElement.removeAttribute('data-theme');
  else doc.documentElement.setAttribute('data-theme', choice);
}

export function saveTheme(choice: ThemeChoice, storage: Pick<Storage, 'setItem'> | undefined = globalThis.localStorage): void {
  storage?.setItem(THEME_KEY, choice);
}

/** Buttons, fields and focus, shared by every component. */
export const controls = css`
  :host { font-family: var(--jl-font); color: var(--jl-text); }
  button, input, select, textarea { font: inherit; color: inherit; }
  button { display: inline-flex; align-items: center; justify-content: center; gap: var(--jl-space-2); min-height: 2.5rem; padding: 0 var(--jl-space-4);
    border-radius: var(--jl-radius-s); border: 1px solid var(--jl-border); background: var(--jl-surface); cursor: pointer; }
  button:hover:not(:disabled) { background: var(--jl-surface-2); }
  button:disabled { opacity: 0.55; cursor: not-allowed; }
  button.primary { background: var(--jl-accent); border-color: var(--jl-accent); color: var(--jl-accent-text); }
  button.primary:hover:not(:disabled) { filter: brightness(1.08); background: var(--jl-accent); }
  button.danger { background: var(--jl-danger); border-color: var(--jl-danger); color: var(--jl-danger-text); }
  button.danger:hover:not(:disabled) { filter: brightness(1.08); background: var(--jl-danger); }
  button.ok { background: var(--jl-ok); border-color: var(--jl-ok); color: var(--jl-accent-text); }
  button.icon-only { padding: 0; width: 2.75rem; min-height: 2.75rem; border-radius: var(--jl-radius-round); }
  button.ghost { border-color: transparent; background: transparent; }
  input, select, textarea { min-height: 2.5rem; padding: 0 var(--jl-space-3); border: 1px solid var(--jl-border); border-radius: var(--jl-radius-s);
    background: var(--jl-surface); box-sizing: border-box; }
  textarea { padding: var(--jl-space-2) var(--jl-space-3); }
  :focus-visible { outline: 3px solid var(--jl-focus); outline-offset: 2px; }
  .icon { flex: none; }
  .muted { color: var(--jl-text-muted); }
  .visually-hidden { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
`;

/** A phone is narrower than this. */
export const PHONE_MAX_WIDTH = 600;
export const phoneQuery = unsafeCSS(`(max-width: ${PHONE_MAX_WIDTH}px)`);
