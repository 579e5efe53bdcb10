// @vitest-environment happy-dom
// Keyboard shortcuts: which key presses are shortcuts, and the listener that reports them.
import { afterEach, describe, expect, it } from 'vitest';
import { SHORTCUTS, type ShortcutAction, type ShortcutKeyEvent, installShortcuts, shortcutFor } from '../src/ui/shortcuts.ts';

const press = (key: string, more: Partial<ShortcutKeyEvent> = {}): ShortcutKeyEvent => ({
  key, ctrlKey: false, metaKey: false, altKey: false, repeat: false, isComposing: false, target: document.body, ...more,
});

afterEach(() => document.body.replaceChildren());

describe('which key press is a shortcut', () => {
  it('maps M, V, E and ? to mute, camera, hang-up and help', () => {
    expect(['M', 'V', 'E', '?'].map((key) => shortcutFor(press(key)))).toEqual(['mute', 'camera', 'hang-up', 'help']);
  });

  it('takes a letter in either case', () => {
    expect(['m', 'v', 'e'].map((key) => shortcutFor(press(key)))).toEqual(['mute', 'camera', 'hang-up']);
  });

  it('ignores keys that are not shortcuts', () => {
    expect(['h', 'Escape', 'Enter', ' ', '/', 'F1'].map((key) => shortcutFor(press(key)))).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
  });

  it('ignores a key held with Ctrl, Meta or Alt', () => {
    expect(shortcutFor(press('m', { ctrlKey: true }))).toBeUndefined();
    expect(shortcutFor(press('e', { metaKey: true }))).toBeUndefined();
    expect(shortcutFor(press('v', { altKey: true }))).toBeUndefined();
  });

  it('ignores a held key repeating, and a key composing a character', () => {
    expect(shortcutFor(press('m', { repeat: true }))).toBeUndefined();
    expect(shortcutFor(press('m', { isComposing: true }))).toBeUndefined();
  });

  it('ignores typing in a text field, a text area, a select and editable content', () => {
    const input = document.createElement('input');
    const textarea = document.createElement('textarea');
    const select = document.createElement('select');
    const editable = document.createElement('div');
    editable.setAttribute('contenteditable', 'true');
    const inside = document.createElement('span');
    editable.append(inside);
    document.body.append(input, textarea, select, editable);
    for (const target of [input, textarea, select, editable, inside]) expect(shortcutFor(press('m', { target }))).toBeUndefined();
  });

  it('takes a key pressed on a button or on content that is not editable', () => {
    const button = document.createElement('button');
    const off = document.createElement('div');
    off.setAttribute('contenteditable', 'false');
    document.body.append(button, off);
    expect(shortcutFor(press('m', { target: button }))).toBe('mute');
    expect(shortcutFor(press('m', { target: off }))).toBe('mute');
  });

  it('looks through a shadow host to the text field focused inside it', () => {
    const host = document.createElement('div');
    const shadow = host.attachShadow({ mode: 'open' });
    const input = document.createElement('input');
    shadow.append(input);
    document.body.append(host);
    input.focus();
    expect(shortcutFor(press('m', { target: host }))).toBeUndefined();
    input.blur();
    expect(shortcutFor(press('m', { target: host }))).toBe('mute');
  });

  it('lists each shortcut once, with words for the help', () => {
    expect(new Set(SHORTCUTS.map((s) => s.key)).size).toBe(SHORTCUTS.length);
    expect(SHORTCUTS.find((s) => s.action === 'hang-up')).toEqual({ key: 'E', label: 'Hang up', action: 'hang-up' });
  });
});

describe('the shortcut listener', () => {
  const keydown = (target: EventTarget, key: string, init: KeyboardEventInit = {}) => {
    const event = new KeyboardEvent('keydown', { key, bubbles: true, composed: true, cancelable: true, ...init });
    target.dispatchEvent(event);
    return event;
  };

  it('reports the shortcuts pressed, and takes the key from the page', () => {
    const heard: ShortcutAction[] = [];
    const remove = installShortcuts(document, (action) => heard.push(action));
    const event = keydown(document.body, 'm');
    keydown(document.body, '?');
    keydown(document.body, 'x');
    remove();
    expect(heard).toEqual(['mute', 'help']);
    expect(event.defaultPrevented).toBe(true);
  });

  it('leaves a key that is no shortcut to the page', () => {
    const remove = installShortcuts(document, () => undefined);
    const event = keydown(document.body, 'x');
    remove();
    expect(event.defaultPrevented).toBe(false);
  });

  it('ignores typing in a text field inside a component, where the event is retargeted to the host', () => {
    const heard: ShortcutAction[] = [];
    const page = new EventTarget();
    const remove = installShortcuts(page, (action) => heard.push(action));
    const host = document.createElement('div');
    const input = document.createElement('input');
    host.attachShadow({ mode: 'open' }).append(input);
    document.body.append(host);
    // happy-dom does not retarget: the event carries the path a browser gives it, its target is the page.
    const event = new KeyboardEvent('keydown', { key: 'e', cancelable: true });
    Object.defineProperty(event, 'composedPath', { value: () => [input, host.shadowRoot, host, document.body, page] });
    page.dispatchEvent(event);
    remove();
    expect(heard).toEqual([]);
    expect(event.defaultPrevented).toBe(false);
  });

  it('stops listening once removed', () => {
    const heard: ShortcutAction[] = [];
    installShortcuts(document, (action) => heard.push(action))();
    keydown(document.body, 'm');
    expect(heard).toEqual([]);
  });
});
