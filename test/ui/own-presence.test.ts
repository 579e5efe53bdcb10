// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import type { OwnPresence } from '../../src/ui/own-presence.ts';
import '../../src/ui/own-presence.ts';

async function card(props: Partial<Pick<OwnPresence, 'jid' | 'name' | 'avatar' | 'show' | 'status' | 'avatarError'>> = {}): Promise<OwnPresence> {
  const el = document.createElement('jl-own-presence');
  Object.assign(el, { jid: 'alice@localhost', name: 'Alice', show: 'available', status: '', ...props });
  document.body.append(el);
  await el.updateComplete;
  return el;
}

const $ = <T extends Element = HTMLElement>(el: OwnPresence, selector: string) => el.shadowRoot!.querySelector<T>(selector);
const text = (node: Element | null) => node?.textContent?.replace(/\s+/g, ' ').trim();
/** The accessible name a <label for> gives a control. */
const labelOf = (el: OwnPresence, control: Element) => text($(el, `label[for="${control.id}"]`));
const avatarIn = (el: OwnPresence) => el.shadowRoot!.querySelector('jl-avatar')!;
const select = (el: OwnPresence) => $<HTMLSelectElement>(el, 'select')!;
const statusField = (el: OwnPresence) => $<HTMLInputElement>(el, 'input#status')!;
const fileField = (el: OwnPresence) => $<HTMLInputElement>(el, 'input[type="file"]')!;

function changes(el: OwnPresence) {
  const details: unknown[] = [];
  el.addEventListener('presence-change', (e) => details.push((e as CustomEvent).detail));
  return details;
}

async function choose(el: OwnPresence, show: string) {
  select(el).value = show;
  select(el).dispatchEvent(new Event('change'));
  await el.updateComplete;
}

async function typeStatus(el: OwnPresence, value: string, end: 'change' | 'Enter' | 'Escape' = 'change') {
  statusField(el).value = value;
  if (end === 'change') statusField(el).dispatchEvent(new Event('change'));
  else statusField(el).dispatchEvent(new KeyboardEvent('keydown', { key: end }));
  await el.updateComplete;
}

afterEach(() => document.body.replaceChildren());

describe('who we are', () => {
  it('shows our avatar, with the dot of our presence, our name and our JID', async () => {
    const el = await card({ avatar: 'data:image/png;base64,AAAA', show: 'dnd' });
    const avatar = avatarIn(el);
    expect([avatar.jid, avatar.name, avatar.src, avatar.presence]).toEqual(['alice@localhost', 'Alice', 'data:image/png;base64,AAAA', 'busy']);
    expect(text($(el, '.who'))).toBe('Alice alice@localhost');
  });

  it('colours the avatar by the bare JID when given a full one', async () => {
    const el = await card({ jid: 'alice@localhost/desk', name: 'alice@localhost' });
    expect(avatarIn(el).jid).toBe('alice@localhost');
    expect(text($(el, '.who'))).toBe('alice@localhost/desk');
  });

  it('shows the JID alone when there is no other name', async () => {
    const el = await card({ name: '' });
    expect(text($(el, '.who'))).toBe('alice@localhost');
    expect(avatarIn(el).name).toBe('alice@localhost');
  });
});

describe('our presence', () => {
  it('is a select named Your presence, offering Online, Away and Busy', async () => {
    const el = await card({ show: 'away' });
    expect(labelOf(el, select(el))).toBe('Your presence');
    expect([...select(el).options].map((o) => [o.value, o.textContent])).toEqual([['available', 'Online'], ['away', 'Away'], ['dnd', 'Busy']]);
    expect(select(el).value).toBe('away');
  });

  it('is announced when another is picked, with the status message', async () => {
    const el = await card({ status: 'Lunch' });
    const heard = changes(el);
    let event: Event | undefined;
    el.addEventListener('presence-change', (e) => (event = e));
    await choose(el, 'dnd');
    expect(heard).toEqual([{ show: 'dnd', status: 'Lunch' }]);
    expect([event?.bubbles, event?.composed]).toEqual([true, true]);
    expect(avatarIn(el).presence).toBe('busy');
  });
});

describe('the status message', () => {
  it('is a field named Status message, at most 200 characters, showing the status', async () => {
    const el = await card({ status: 'In the garden' });
    expect(labelOf(el, statusField(el))).toBe('Status message');
    expect(statusField(el).maxLength).toBe(200);
    expect(statusField(el).value).toBe('In the garden');
  });

  it('is announced when changed, trimmed, with the presence', async () => {
    const el = await card({ show: 'away' });
    const heard = changes(el);
    await typeStatus(el, '  Back at three  ');
    expect(heard).toEqual([{ show: 'away', status: 'Back at three' }]);
  });

  it('is announced on Enter, and once only when the change follows', async () => {
    const el = await card();
    const heard = changes(el);
    await typeStatus(el, 'Reading', 'Enter');
    statusField(el).dispatchEvent(new Event('change'));
    expect(heard).toEqual([{ show: 'available', status: 'Reading' }]);
  });

  it('is not announced when it did not change', async () => {
    const el = await card({ status: 'Reading' });
    const heard = changes(el);
    await typeStatus(el, 'Reading ');
    expect(heard).toEqual([]);
  });

  it('is cut to 200 characters', async () => {
    const el = await card();
    const heard = changes(el);
    await typeStatus(el, 'x'.repeat(250));
    expect(heard).toEqual([{ show: 'available', status: 'x'.repeat(200) }]);
  });

  it('goes back to what it was on Escape', async () => {
    const el = await card({ status: 'Reading' });
    const heard = changes(el);
    await typeStatus(el, 'Half typed', 'Escape');
    expect(statusField(el).value).toBe('Reading');
    expect(heard).toEqual([]);
  });

  it('shows a status set from outside', async () => {
    const el = await card({ status: 'Reading' });
    el.status = 'Cooking';
    await el.updateComplete;
    expect(statusField(el).value).toBe('Cooking');
  });
});

describe('changing the avatar', () => {
  const pick = (el: OwnPresence, files: File[]) => {
    Object.defineProperty(fileField(el), 'files', { value: files, configurable: true });
    fileField(el).dispatchEvent(new Event('change'));
  };

  it('is a file field named Change avatar, for the usual image types', async () => {
    const el = await card();
    expect(text(fileField(el).closest('label'))).toBe('Change avatar');
    expect(fileField(el).accept).toBe('image/png,image/jpeg,image/webp,image/gif');
  });

  it('hands over the file picked', async () => {
    const el = await card();
    const files: File[] = [];
    el.addEventListener('avatar-file', (e) => files.push((e as CustomEvent<{ file: File }>).detail.file));
    const file = new File([new Uint8Array([137, 80, 78, 71])], 'me.png', { type: 'image/png' });
    pick(el, [file]);
    pick(el, []);
    expect(files).toEqual([file]);
  });

  it('shows why the last avatar could not be published, as an alert', async () => {
    const el = await card();
    expect($(el, '[role="alert"]')).toBeNull();
    el.avatarError = 'That image is too large.';
    await el.updateComplete;
    expect(text($(el, '[role="alert"]'))).toBe('That image is too large.');
    expect(fileField(el).getAttribute('aria-describedby')).toBe('avatar-error');
  });
});
