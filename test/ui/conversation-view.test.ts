// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import type { CallRecord } from '../../src/ui/call-record.ts';
import { ConversationView } from '../../src/ui/conversation-view.ts';
import { type ChatEntry, MAX_BODY_LENGTH } from '../../src/xmpp/chat.ts';

const AT = new Date(2025, 2, 14, 9, 30).getTime();

const said = (id: string, over: Partial<ChatEntry> = {}): ChatEntry => ({ id, direction: 'in', body: id, at: AT, ...over });
const called = (id: string, over: Partial<CallRecord> = {}): CallRecord =>
  ({ id, peer: 'bob@example.org', direction: 'outgoing', media: 'audio', at: AT, outcome: 'answered', durationMs: 65_000, ...over });

async function conversation(props: Partial<ConversationView> = {}): Promise<ConversationView> {
  const el = document.createElement('jl-conversation');
  Object.assign(el, { peerJid: 'bob@example.org', peerName: 'Bob', history: 'complete', ...props });
  document.body.append(el);
  await el.updateComplete;
  return el;
}

const root = (el: ConversationView) => el.shadowRoot!;
const button = (el: ConversationView, name: string) =>
  [...root(el).querySelectorAll('button')].find((b) => (b.getAttribute('aria-label') ?? b.textContent?.trim()) === name);

const listening: [string, EventListener][] = [];

/** The details of each `type` event that reaches the document: events must leave the component. */
function events<T = unknown>(type: string): T[] {
  const seen: T[] = [];
  const listener = (e: Event) => seen.push((e as CustomEvent<T>).detail);
  document.addEventListener(type, listener);
  listening.push([type, listener]);
  return seen;
}

async function type(el: ConversationView, text: string): Promise<HTMLTextAreaElement> {
  const field = root(el).querySelector('textarea')!;
  field.value = text;
  field.dispatchEvent(new Event('input', { bubbles: true }));
  await el.updateComplete;
  return field;
}

async function press(el: ConversationView, init: KeyboardEventInit): Promise<KeyboardEvent> {
  const key = new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true, ...init });
  root(el).querySelector('textarea')!.dispatchEvent(key);
  await el.updateComplete;
  return key;
}

afterEach(() => {
  for (const [type, listener] of listening.splice(0)) document.removeEventListener(type, listener);
  document.body.replaceChildren();
});

describe('<jl-conversation> timeline', () => {
  it('shows messages and calls in time order', async () => {
    const el = await conversation({
      entries: [said('first', { at: AT }), said('third', { at: AT + 3000 })],
      calls: [called('second', { at: AT + 2000 })],
    });
    const kinds = [...root(el).querySelectorAll('[data-kind]')].map((n) => `${n.getAttribute('data-kind')}:${n.getAttribute('data-id')}`);
    expect(kinds).toEqual(['message:first', 'call:second', 'message:third']);
  });

  it('shows markup in a message as text', async () => {
    const el = await conversation({ entries: [said('m', { body: '<b>x</b><img src=x onerror=alert(1)>' })] });
    const body = root(el).querySelector('.body')!;
    expect(body.textContent).toBe('<b>x</b><img src=x onerror=alert(1)>');
    expect(body.querySelector('b, img')).toBeNull();
  });

  it('puts ours on one side and theirs on the other', async () => {
    const el = await conversation({ entries: [said('theirs'), said('ours', { direction: 'out', state: 'sent' })] });
    expect(root(el).querySelector('[data-id="theirs"]')!.classList.contains('in')).toBe(true);
    expect(root(el).querySelector('[data-id="ours"]')!.classList.contains('out')).toBe(true);
  });

  it.each([
    ['sending', 'Sending'],
    ['sent', 'Sent'],
    ['delivered', 'Delivered'],
    ['failed', 'Not sent'],
  ] as const)('says a message of ours is %s', async (state, words) => {
    const el = await conversation({ entries: [said('m', { direction: 'out', state })] });
    const message = root(el).querySelector('[data-kind="message"]')!;
    expect(message.textContent).toContain(words);
    expect(message.querySelector('svg')).not.toBeNull();
  });

  it('says nothing of delivery on their messages', async () => {
    const el = await conversation({ entries: [said('m')] });
    expect(root(el).querySelector('[data-kind="message"]')!.textContent).not.toMatch(/Sent|Sending|Delivered/);
  });

  it('offers to retry a message that was not sent', async () => {
    const el = await conversation({ entries: [said('m1', { direction: 'out', state: 'failed', body: 'hello' })] });
    const retries = events('retry-message');
    button(el, 'Retry')!.click();
    expect(retries).toEqual([{ id: 'm1', body: 'hello' }]);
  });

  it('offers no retry for a message that was sent', async () => {
    const el = await conversation({ entries: [said('m1', { direction: 'out', state: 'sent' })] });
    expect(button(el, 'Retry')).toBeUndefined();
  });

  it('describes a call and marks a missed one', async () => {
    const el = await conversation({ calls: [called('c1', { media: 'video' }), called('c2', { direction: 'incoming', outcome: 'missed' })] });
    const [answered, missed] = root(el).querySelectorAll('[data-kind="call"]');
    expect(answered!.textContent).toContain('Outgoing video call · 1:05');
    expect(answered!.hasAttribute('data-missed')).toBe(false);
    expect(missed!.textContent).toContain('Missed audio call');
    expect(missed!.hasAttribute('data-missed')).toBe(true);
  });

  it('separates days', async () => {
    const el = await conversation({ entries: [said('a', { at: AT }), said('b', { at: AT + 60_000 }), said('c', { at: AT + 86_400_000 })] });
    expect(root(el).querySelectorAll('.day')).toHaveLength(2);
  });

  it('is a log named for the contact', async () => {
    const el = await conversation();
    const log = root(el).querySelector('[role="log"]')!;
    expect(log.getAttribute('aria-label')).toBe('Conversation with Bob');
    expect(log.getAttribute('aria-live')).toBe('polite');
  });
});

describe('<jl-conversation> history', () => {
  it('offers earlier messages and asks for them', async () => {
    const el = await conversation({ history: 'idle' });
    const asked = events('load-history');
    button(el, 'Load earlier messages')!.click();
    expect(asked).toHaveLength(1);
  });

  it('shows that earlier messages are loading', async () => {
    const el = await conversation({ history: 'loading' });
    expect(button(el, 'Loading…')).toBeDefined();
    expect(button(el, 'Load earlier messages')).toBeUndefined();
  });

  it('shows why loading failed and tries again', async () => {
    const el = await conversation({ history: 'failed', historyError: 'The server has no archive' });
    const asked = events('load-history');
    expect(root(el).querySelector('.log')!.textContent).toContain('The server has no archive');
    button(el, 'Try again')!.click();
    expect(asked).toHaveLength(1);
  });

  it('offers nothing more once the history is complete', async () => {
    const el = await conversation({ history: 'complete' });
    expect(root(el).querySelector('.load')).toBeNull();
  });
});

describe('<jl-conversation> header', () => {
  it('names the call buttons and calls the contact', async () => {
    const el = await conversation();
    const calls = events('call');
    button(el, 'Audio call')!.click();
    button(el, 'Video call')!.click();
    expect(calls).toEqual([{ jid: 'bob@example.org', media: 'audio' }, { jid: 'bob@example.org', media: 'video' }]);
  });

  it('disables a call button and says why', async () => {
    const el = await conversation({ canCall: { video: 'Bob has no camera-capable app online' } });
    const video = button(el, 'Video call')!;
    expect(video.disabled).toBe(true);
    expect(video.title).toBe('Bob has no camera-capable app online');
    expect(button(el, 'Audio call')!.disabled).toBe(false);
  });

  it('shows a way back only when asked to', async () => {
    const plain = await conversation();
    expect(button(plain, 'Back to contacts')).toBeUndefined();
    const phone = await conversation({ showBack: true });
    const backs = events('back');
    button(phone, 'Back to contacts')!.click();
    expect(backs).toHaveLength(1);
  });

  it('shows the name and address', async () => {
    const el = await conversation();
    const header = root(el).querySelector('header')!;
    expect(header.textContent).toContain('Bob');
    expect(header.textContent).toContain('bob@example.org');
  });
});

describe('<jl-conversation> composer', () => {
  it('sends on Enter and clears the field', async () => {
    const el = await conversation();
    const sent = events('send-message');
    const field = await type(el, 'Hello Bob');
    await press(el, {});
    expect(sent).toEqual([{ body: 'Hello Bob' }]);
    expect(field.value).toBe('');
  });

  it('sends with the Send button', async () => {
    const el = await conversation();
    const sent = events('send-message');
    await type(el, 'Hi');
    root(el).querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    expect(sent).toEqual([{ body: 'Hi' }]);
    expect(button(el, 'Send')!.type).toBe('submit');
  });

  it('makes a new line on Shift+Enter instead of sending', async () => {
    const el = await conversation();
    const sent = events('send-message');
    const field = await type(el, 'line one');
    const key = await press(el, { shiftKey: true });
    expect(sent).toEqual([]);
    expect(key.defaultPrevented).toBe(false);
    expect(field.value).toBe('line one');
  });

  it('does not send only spaces', async () => {
    const el = await conversation();
    const sent = events('send-message');
    await type(el, '  \n ');
    await press(el, {});
    expect(sent).toEqual([]);
  });

  it('keeps an over-long message, says so and does not send it', async () => {
    const el = await conversation();
    const sent = events('send-message');
    const text = 'a'.repeat(MAX_BODY_LENGTH + 3);
    const field = await type(el, text);
    await press(el, {});
    expect(sent).toEqual([]);
    expect(field.value).toBe(text);
    expect(root(el).querySelector('.count')!.textContent).toContain(`${MAX_BODY_LENGTH + 3} / ${MAX_BODY_LENGTH}`);
    expect(root(el).querySelector('.limit .error')!.textContent).toContain('remove 3 characters');
    expect(field.getAttribute('aria-invalid')).toBe('true');
  });

  it('names the field and the form for the contact', async () => {
    const el = await conversation();
    const field = root(el).querySelector('textarea')!;
    expect(field.getAttribute('aria-label')).toBe('Message');
    expect(field.placeholder).toBe('Message Bob');
    expect(root(el).querySelector('form')!.getAttribute('aria-label')).toBe('Send a message');
  });
});

describe('<jl-conversation> scrolling', () => {
  /** Each item is 100px high, under 400px of the rest. */
  const rendered = (el: ConversationView) => root(el).querySelectorAll('[data-kind]').length;

  /** A log 100px high over `content` px of items, scrolled to `top`. */
  function layOut(el: ConversationView, content: () => number, top: number): HTMLElement {
    const log = root(el).querySelector<HTMLElement>('.log')!;
    Object.defineProperty(log, 'clientHeight', { configurable: true, get: () => 100 });
    Object.defineProperty(log, 'scrollHeight', { configurable: true, get: content });
    log.scrollTop = top;
    return log;
  }

  it('follows a new message when the reader is at the newest', async () => {
    const el = await conversation({ entries: [said('a')] });
    const log = layOut(el, () => rendered(el) * 100 + 400, 400);
    el.entries = [said('a'), said('b', { at: AT + 1 })];
    await el.updateComplete;
    expect(log.scrollTop).toBe(600);
  });

  it('stays put when the reader has scrolled up', async () => {
    const el = await conversation({ entries: [said('a')] });
    const log = layOut(el, () => rendered(el) * 100 + 400, 100);
    el.entries = [said('a'), said('b', { at: AT + 1 })];
    await el.updateComplete;
    expect(log.scrollTop).toBe(100);
  });
});
