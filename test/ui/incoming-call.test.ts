// @vitest-environment happy-dom
// The incoming-call prompt, with a fake ringing session: its names, its buttons and what they do.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type IncomingCall, type RingingCall } from '../../src/ui/incoming-call.ts';
import '../../src/ui/incoming-call.ts';

function fakeSession(media: 'audio' | 'video' = 'audio') {
  const session = {
    media,
    peer: 'alice@example.org/phone',
    marks: [] as string[],
    mark(name: string) {
      session.marks.push(name);
    },
    accept: vi.fn(async () => undefined),
    decline: vi.fn(),
  };
  return session satisfies RingingCall;
}

async function show(session: RingingCall, options: { waiting?: boolean; avatar?: string } = {}): Promise<IncomingCall> {
  const prompt = document.createElement('jl-incoming-call') as IncomingCall;
  prompt.session = session;
  prompt.callerName = 'Alice';
  prompt.waiting = options.waiting ?? false;
  if (options.avatar) prompt.avatar = options.avatar;
  document.body.append(prompt);
  await prompt.updateComplete;
  return prompt;
}

const root = (prompt: IncomingCall) => prompt.shadowRoot!;
const nameOf = (element: Element) => element.getAttribute('aria-label') ?? element.textContent!.replace(/\s+/g, ' ').trim();
const buttonNames = (prompt: IncomingCall) => [...root(prompt).querySelectorAll('button')].map(nameOf);
const button = (prompt: IncomingCall, name: string) => {
  const found = [...root(prompt).querySelectorAll('button')].find((b) => nameOf(b) === name);
  if (!found) throw new Error(`no button "${name}" among ${buttonNames(prompt).join(', ')}`);
  return found;
};

afterEach(() => document.body.replaceChildren());

describe('a call that rings', () => {
  it('is an alertdialog named "Incoming call" that says who calls and how', async () => {
    const prompt = await show(fakeSession('video'));
    const dialog = root(prompt).querySelector('[role="alertdialog"]')!;
    expect(dialog.getAttribute('aria-label')).toBe('Incoming call');
    expect(dialog.textContent!.replace(/\s+/g, ' ')).toContain('Video call from Alice');
    expect(dialog.textContent).toContain('alice@example.org/phone');
  });

  it('offers Decline and Accept for an audio call, and nothing else', async () => {
    const prompt = await show(fakeSession('audio'));
    expect(buttonNames(prompt)).toEqual(['Decline', 'Accept']);
    expect(root(prompt).textContent!.replace(/\s+/g, ' ')).toContain('Audio call from Alice');
  });

  it('offers audio only as well for a video call, under a name without "Accept" in it', async () => {
    const prompt = await show(fakeSession('video'));
    expect(buttonNames(prompt)).toEqual(['Decline', 'Audio only', 'Accept']);
    // A search by the name "Accept" (a substring, any case) must find the one button.
    expect(buttonNames(prompt).filter((n) => n.toLowerCase().includes('accept'))).toEqual(['Accept']);
  });

  it('accepts the session on Accept, and dispatches nothing', async () => {
    const session = fakeSession();
    const prompt = await show(session);
    const heard = vi.fn();
    for (const type of ['take-call', 'accept-audio-only']) document.addEventListener(type, heard);
    button(prompt, 'Accept').click();
    expect(session.accept).toHaveBeenCalledOnce();
    expect(session.decline).not.toHaveBeenCalled();
    expect(heard).not.toHaveBeenCalled();
  });

  it('declines the session on Decline', async () => {
    const session = fakeSession();
    const prompt = await show(session);
    button(prompt, 'Decline').click();
    expect(session.decline).toHaveBeenCalledWith();
    expect(session.accept).not.toHaveBeenCalled();
  });

  it('asks the shell to answer without the camera on "Audio only", and accepts nothing itself', async () => {
    const session = fakeSession('video');
    const prompt = await show(session);
    const heard = vi.fn();
    document.addEventListener('accept-audio-only', heard);
    button(prompt, 'Audio only').click();
    expect(heard).toHaveBeenCalledOnce();
    expect(session.accept).not.toHaveBeenCalled();
  });

  it('puts focus on Accept when it appears', async () => {
    const prompt = await show(fakeSession());
    expect(root(prompt).activeElement).toBe(button(prompt, 'Accept'));
  });

  it('does not decline on Escape', async () => {
    const session = fakeSession();
    const prompt = await show(session);
    button(prompt, 'Accept').dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
    await prompt.updateComplete;
    expect(session.decline).not.toHaveBeenCalled();
    expect(root(prompt).querySelector('[role="alertdialog"]')).not.toBeNull();
  });

  it('marks the session once the prompt has been on screen for a frame', async () => {
    const session = fakeSession();
    await show(session);
    await vi.waitFor(() => expect(session.marks).toEqual(['ringing-shown']));
  });

  it('shows the caller’s picture, coloured by the bare JID', async () => {
    const prompt = await show(fakeSession(), { avatar: 'data:image/png;base64,AAAA' });
    const avatar = root(prompt).querySelector('jl-avatar')!;
    expect({ jid: avatar.jid, name: avatar.name, src: avatar.src }).toEqual({ jid: 'alice@example.org', name: 'Alice', src: 'data:image/png;base64,AAAA' });
  });

  it('leaves the avatar to draw initials when there is no picture', async () => {
    const prompt = await show(fakeSession());
    expect(root(prompt).querySelector('jl-avatar')?.src).toBeUndefined();
  });
});

describe('a call that rings during another', () => {
  it('is an alertdialog named "Call waiting" with "End call and accept" and Decline', async () => {
    const prompt = await show(fakeSession('video'), { waiting: true });
    const dialog = root(prompt).querySelector('[role="alertdialog"]')!;
    expect(dialog.getAttribute('aria-label')).toBe('Call waiting');
    expect(dialog.textContent!.replace(/\s+/g, ' ')).toContain('Call waiting: video call from Alice');
    expect(buttonNames(prompt)).toEqual(['Decline', 'End call and accept']);
  });

  it('asks the shell to take the call on "End call and accept", without accepting it itself', async () => {
    const session = fakeSession();
    const prompt = await show(session, { waiting: true });
    const heard = vi.fn();
    document.addEventListener('take-call', heard);
    button(prompt, 'End call and accept').click();
    expect(heard).toHaveBeenCalledOnce();
    expect(session.accept).not.toHaveBeenCalled();
  });

  it('declines as busy', async () => {
    const session = fakeSession();
    const prompt = await show(session, { waiting: true });
    button(prompt, 'Decline').click();
    expect(session.decline).toHaveBeenCalledWith('busy');
  });

  it('leaves focus on the call on screen', async () => {
    const prompt = await show(fakeSession(), { waiting: true });
    expect(root(prompt).activeElement).toBeNull();
  });

  it('moves focus to Accept when the other call ends and it rings on its own', async () => {
    const prompt = await show(fakeSession(), { waiting: true });
    prompt.waiting = false;
    await prompt.updateComplete;
    expect(root(prompt).activeElement).toBe(button(prompt, 'Accept'));
  });
});
