// Single-key shortcuts for a call: which key does what, which key press
// counts, and a listener that reports them.
export type ShortcutAction = 'mute' | 'camera' | 'hang-up' | 'help';

export interface Shortcut {
  /** The key as `KeyboardEvent.key` gives it, upper case for a letter; also what the help shows. */
  readonly key: string;
  readonly label: string;
  readonly action: ShortcutAction;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { key: 'M', label: 'Mute or unmute the microphone', action: 'mute' },
  { key: 'V', label: 'Turn the camera on or off', action: 'camera' },
  { key: 'E', label: 'Hang up', action: 'hang-up' },
  // Shift+/ on a US layout; `key` is '?' on every layout that has it.
  { key: '?', label: 'Show keyboard shortcuts', action: 'help' },
];

export type ShortcutKeyEvent = Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'target' | 'repeat' | 'isComposing'>;

/** Elements that take typed text (or, for a select, pick an option by letter). */
const TYPED_INTO = new Set(['INPUT', 'TEXTAREA', 'SELECT']);
const EDITABLE_CONTENT = '[contenteditable=""], [contenteditable="true"], [contenteditable="plaintext-only"]';

/**
 * Whether a key press on this target is typing. A shadow host stands for
 * what has focus inside it, so a host passed as the target (the event's
 * `target` once it has left the shadow root) is looked through.
 */
function isEditable(target: EventTarget | null): boolean {
  let element = typeof Element === 'function' && target instanceof Element ? target : null;
  while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
  if (!element) return false;
  if (TYPED_INTO.has(element.tagName)) return true;
  return (element as Partial<HTMLElement>).isContentEditable === true || element.closest(EDITABLE_CONTENT) !== null;
}

/**
 * The action of a key press, if it is a shortcut. Pass `event.composedPath()[0]`
 * as `target`: `event.target` is retargeted to the outermost shadow host, which
 * hides a text field inside a component.
 */
export function shortcutFor(event: ShortcutKeyEvent): ShortcutAction | undefined {
  // A held key, a key that composes a character (IME, dead keys) and a chord belong to someone else.
  if (event.repeat || event.isComposing || event.ctrlKey || event.metaKey || event.altKey) return undefined;
  const key = event.key.length === 1 ? event.key.toUpperCase() : event.key;
  const shortcut = SHORTCUTS.find((s) => s.key === key);
  if (!shortcut || isEditable(event.target)) return undefined;
  return shortcut.action;
}

/** Reports each shortcut pressed on `target` (the document, say) until the returned function is called. */
export function installShortcuts(target: EventTarget, handler: (action: ShortcutAction) => void): () => void {
  const listener = (event: Event) => {
    const press = event as KeyboardEvent;
    if (typeof press.key !== 'string') return;
    const action = shortcutFor({
      key: press.key, ctrlKey: press.ctrlKey, metaKey: press.metaKey, altKey: press.altKey,
      repeat: press.repeat, isComposing: press.isComposing, target: event.composedPath()[0] ?? event.target,
    });
    if (!action) return;
    // Firefox's find-as-you-type would take the letter too.
    event.preventDefault();
    handler(action);
  };
  target.addEventListener('keydown', listener);
  return () => target.removeEventListener('keydown', listener);
}
