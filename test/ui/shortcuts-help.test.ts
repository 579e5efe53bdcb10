// @vitest-environment happy-dom
// The keyboard shortcuts dialog: what it lists, how it opens and closes.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SHORTCUTS } from '../../src/ui/shortcuts.ts';
import '../../src/ui/shortcuts-help.ts';
import type { ShortcutsHelp } from '../../src/ui/shortcuts-help.ts';

async function show(open: boolean): Promise<ShortcutsHelp> {
  const help = document.createElement('jl-shortcuts-help') as ShortcutsHelp;
  help.open = open;
  document.body.append(help);
  await help.updateComplete;
  return help;
}

const dialogOf = (help: ShortcutsHelp) => help.shadowRoot!.querySelector('dialog')!;
const closeButton = (help: ShortcutsHelp) => [...help.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent!.trim() === 'Close')!;

afterEach(() => document.body.replaceChildren());

describe('the keyboard shortcuts dialog', () => {
  it('is named by its heading "Keyboard shortcuts"', async () => {
    const help = await show(true);
    const heading = help.shadowRoot!.getElementById(dialogOf(help).getAttribute('aria-labelledby')!);
    expect(heading?.tagName).toBe('H2');
    expect(heading?.textContent?.trim()).toBe('Keyboard shortcuts');
  });

  it('lists every shortcut with its key', async () => {
    const dialog = dialogOf(await show(true));
    const rows = [...dialog.querySelectorAll('dt')].map((dt) => [dt.querySelector('kbd')?.textContent, dt.nextElementSibling?.textContent]);
    expect(rows).toEqual(SHORTCUTS.map((s) => [s.key, s.label]));
    expect(rows.map(([key]) => key)).toEqual(['M', 'V', 'E', '?']);
  });

  it('stays closed until it is opened', async () => {
    const help = await show(false);
    expect(dialogOf(help).hasAttribute('open')).toBe(false);
    help.open = true;
    await help.updateComplete;
    expect(dialogOf(help).hasAttribute('open')).toBe(true);
  });

  it('closes on "Close", and says so', async () => {
    const help = await show(true);
    const closed = vi.fn();
    help.addEventListener('close', closed);
    closeButton(help).click();
    await help.updateComplete;
    expect(dialogOf(help).hasAttribute('open')).toBe(false);
    expect(help.open).toBe(false);
    expect(closed).toHaveBeenCalledOnce();
  });

  it('closes on Escape, and says so', async () => {
    const help = await show(true);
    const closed = vi.fn();
    help.addEventListener('close', closed);
    closeButton(help).dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
    await help.updateComplete;
    expect(dialogOf(help).hasAttribute('open')).toBe(false);
    expect(closed).toHaveBeenCalledOnce();
  });

  it('closes without a word when its owner closes it', async () => {
    const help = await show(true);
    const closed = vi.fn();
    help.addEventListener('close', closed);
    help.open = false;
    await help.updateComplete;
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(dialogOf(help).hasAttribute('open')).toBe(false);
    expect(closed).not.toHaveBeenCalled();
  });

  it('opens without showModal(), where the browser has none', async () => {
    const showModal = HTMLDialogElement.prototype.showModal;
    const close = HTMLDialogElement.prototype.close;
    try {
      Object.assign(HTMLDialogElement.prototype, { showModal: undefined, close: undefined });
      const help = await show(true);
      expect(dialogOf(help).hasAttribute('open')).toBe(true);
      closeButton(help).click();
      await help.updateComplete;
      expect(dialogOf(help).hasAttribute('open')).toBe(false);
    } finally {
      Object.assign(HTMLDialogElement.prototype, { showModal, close });
    }
  });
});
