// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { type AvatarView, inkOn } from '../../src/ui/avatar-view.ts';
import { jidColour } from '../../src/ui/jid-colour.ts';

const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

async function avatar(props: Partial<Pick<AvatarView, 'jid' | 'name' | 'src' | 'size' | 'presence'>>): Promise<AvatarView> {
  const el = document.createElement('jl-avatar');
  Object.assign(el, props);
  document.body.append(el);
  await el.updateComplete;
  return el;
}

/** Lets the SHA-1 behind the colour finish, then the re-render. */
async function settled(el: AvatarView): Promise<void> {
  await jidColour(el.jid || el.name);
  await new Promise((resolve) => setTimeout(resolve, 0));
  await el.updateComplete;
}

const face = (el: AvatarView) => el.shadowRoot!.querySelector<HTMLElement>('.face')!;
/** The colour behind the initials and theirs, as set on the face ('' for the theme's). */
const tint = (el: AvatarView) => ({ background: face(el).style.getPropertyValue('background'), color: face(el).style.getPropertyValue('color') });

function contrast(a: string, b: string): number {
  const lum = (hex: string) => {
    const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

afterEach(() => document.body.replaceChildren());

describe('an avatar without a picture', () => {
  it('shows the initials of the name, hidden from screen readers beside the name itself', async () => {
    const el = await avatar({ jid: 'alice@wonderland.lit', name: 'Alice Liddell' });
    const letters = face(el).querySelector('span')!;
    expect(letters.textContent).toBe('AL');
    expect(letters.getAttribute('aria-hidden')).toBe('true');
    expect(el.shadowRoot!.querySelector('img')).toBeNull();
  });

  it('shows the first letter of the JID when there is no name', async () => {
    const el = await avatar({ jid: 'bob@localhost', name: '' });
    expect(face(el).textContent!.trim()).toBe('B');
  });

  it('is neutral until the XEP-0392 colour of the JID is known, then takes it', async () => {
    const el = await avatar({ jid: 'tybalt@capulet.lit', name: 'Tybalt' });
    expect(tint(el)).toEqual({ background: '', color: '' });
    await settled(el);
    const colour = await jidColour('tybalt@capulet.lit');
    expect(tint(el)).toEqual({ background: colour, color: inkOn(colour) });
  });

  it('takes the colour of its new JID, not of the one before, when the JID changes quickly', async () => {
    await settled(await avatar({ jid: 'juliet@capulet.lit', name: 'Juliet' }));
    const el = await avatar({ jid: 'romeo@montague.lit', name: 'Romeo' });
    // Juliet's colour is known already: it paints before Romeo's hash is done.
    el.jid = 'juliet@capulet.lit';
    await el.updateComplete;
    await settled(el);
    await jidColour('romeo@montague.lit');
    await el.updateComplete;
    expect(tint(el).background).toBe(await jidColour('juliet@capulet.lit'));
  });

  it('paints a colour already known at once when drawn again', async () => {
    await settled(await avatar({ jid: 'nurse@capulet.lit', name: 'Nurse' }));
    const again = await avatar({ jid: 'nurse@capulet.lit', name: 'Nurse' });
    expect(tint(again).background).toBe(await jidColour('nurse@capulet.lit'));
  });
});

describe('the letters on a contact colour', () => {
  it.each(['juliet@capulet.lit', 'bob@localhost', 'alice@localhost', 'Romeo', 'council'])('reach WCAG AA contrast on the colour of %s', async (text) => {
    const colour = await jidColour(text);
    expect(contrast(inkOn(colour), colour)).toBeGreaterThanOrEqual(4.5);
  });

  it('reach WCAG AA contrast on the colours of a few hundred JIDs', async () => {
    const jids = Array.from({ length: 360 }, (_, i) => `user${i}@example.org`);
    const worst = Math.min(...(await Promise.all(jids.map(async (jid) => {
      const colour = await jidColour(jid);
      return contrast(inkOn(colour), colour);
    }))));
    expect(worst).toBeGreaterThanOrEqual(4.5);
  });

  it('are white on a dark colour and black on a light one', () => {
    expect(inkOn('#1a56c2')).toBe('#ffffff');
    expect(inkOn('#f0c05a')).toBe('#000000');
  });
});

describe('an avatar with a picture', () => {
  it('shows the image as decoration, without initials or colour', async () => {
    const el = await avatar({ jid: 'alice@wonderland.lit', name: 'Alice', src: PNG });
    await settled(el);
    const img = el.shadowRoot!.querySelector('img')!;
    expect(img.getAttribute('src')).toBe(PNG);
    expect(img.getAttribute('alt')).toBe('');
    expect(face(el).textContent!.trim()).toBe('');
    expect(tint(el)).toEqual({ background: '', color: '' });
  });

  it('goes back to the initials when the picture is taken away', async () => {
    const el = await avatar({ jid: 'alice@wonderland.lit', name: 'Alice', src: PNG });
    el.src = undefined;
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('img')).toBeNull();
    expect(face(el).textContent!.trim()).toBe('A');
  });
});

describe('size and presence', () => {
  it('is 40 px square unless told otherwise', async () => {
    const el = await avatar({ jid: 'bob@localhost', name: 'Bob' });
    expect([el.style.width, el.style.height]).toEqual(['40px', '40px']);
    el.size = 64;
    await el.updateComplete;
    expect([el.style.width, el.style.height]).toEqual(['64px', '64px']);
  });

  it('has no presence dot unless given a presence', async () => {
    const el = await avatar({ jid: 'bob@localhost', name: 'Bob' });
    expect(el.shadowRoot!.querySelector('.dot')).toBeNull();
    expect(el.shadowRoot!.querySelector('.visually-hidden')).toBeNull();
  });

  it.each(['online', 'away', 'busy', 'offline'] as const)('shows a %s dot, and says it in words for screen readers', async (presence) => {
    const el = await avatar({ jid: 'bob@localhost', name: 'Bob', presence });
    expect(el.shadowRoot!.querySelector('.dot')!.classList.contains(presence)).toBe(true);
    expect(el.shadowRoot!.querySelector('.visually-hidden')!.textContent).toBe(presence);
  });
});
