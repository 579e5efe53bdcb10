// @vitest-environment happy-dom
// The call-ended screen: what it says, when it shows the length, and what its buttons ask for.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type CallAgainDetail, type CallEnded } from '../../src/ui/call-ended.ts';
import '../../src/ui/call-ended.ts';

async function show(props: Partial<Pick<CallEnded, 'media' | 'reason' | 'durationMs' | 'avatar'>> = {}): Promise<CallEnded> {
  const screen = document.createElement('jl-call-ended') as CallEnded;
  Object.assign(screen, { peerName: 'Bob', peerJid: 'bob@example.org', media: 'audio', reason: 'Bob hung up', ...props });
  document.body.append(screen);
  await screen.updateComplete;
  return screen;
}

const root = (screen: CallEnded) => screen.shadowRoot!;
const text = (element: Element | null | undefined) => element?.textContent?.replace(/\s+/g, ' ').trim();
const button = (screen: CallEnded, name: string) => {
  const found = [...root(screen).querySelectorAll('button')].find((b) => text(b) === name);
  if (!found) throw new Error(`no button "${name}"`);
  return found;
};

afterEach(() => document.body.replaceChildren());

describe('the call-ended screen', () => {
  it('is a region named "Call ended" that gives the reason and the address', async () => {
    const screen = await show({ reason: 'Bob declined the call' });
    const region = root(screen).querySelector('[role="region"]')!;
    expect(region.getAttribute('aria-label')).toBe('Call ended');
    expect(text(region.querySelector('[data-ended-reason]'))).toBe('Bob declined the call');
    expect(region.textContent).toContain('bob@example.org');
  });

  it('says how long a call that connected lasted', async () => {
    const screen = await show({ durationMs: 125_400 });
    expect(text(root(screen).querySelector('[data-ended-duration]'))).toBe('Call lasted 2:05');
  });

  it('says nothing of a length for a call that never connected', async () => {
    const screen = await show({ reason: 'Missed call' });
    expect(root(screen).querySelector('[data-ended-duration]')).toBeNull();
  });

  it('offers "Call again" and "Close", and puts focus on "Call again"', async () => {
    const screen = await show();
    expect([...root(screen).querySelectorAll('button')].map(text)).toEqual(['Call again', 'Close']);
    expect(root(screen).activeElement).toBe(button(screen, 'Call again'));
  });

  it('asks to call the same address with the same medium again', async () => {
    const screen = await show({ media: 'video' });
    const heard: CallAgainDetail[] = [];
    document.addEventListener('call-again', (e) => heard.push((e as CustomEvent<CallAgainDetail>).detail), { once: true });
    button(screen, 'Call again').click();
    expect(heard).toEqual([{ jid: 'bob@example.org', media: 'video' }]);
  });

  it('asks to be closed on "Close"', async () => {
    const screen = await show();
    const closed = vi.fn();
    const again = vi.fn();
    screen.addEventListener('close', closed);
    screen.addEventListener('call-again', again);
    button(screen, 'Close').click();
    expect(closed).toHaveBeenCalledOnce();
    expect(again).not.toHaveBeenCalled();
  });

  it('shows the peer’s picture, or leaves the avatar to draw initials', async () => {
    const withPicture = await show({ avatar: 'data:image/png;base64,AAAA' });
    const avatar = root(withPicture).querySelector('jl-avatar')!;
    expect({ jid: avatar.jid, name: avatar.name, src: avatar.src }).toEqual({ jid: 'bob@example.org', name: 'Bob', src: 'data:image/png;base64,AAAA' });
    document.body.replaceChildren();
    const without = await show();
    expect(root(without).querySelector('jl-avatar')?.src).toBeUndefined();
  });
});
