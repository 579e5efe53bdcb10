// Icons from the lucide package, as inline SVG: one import per icon used, so
// that the bundle carries only these. Decorative (aria-hidden): each control
// that shows one has its own accessible name.
import {
  ArrowLeft, Check, CheckCheck, CircleAlert, CircleHelp, Clock, Keyboard, LogOut, Maximize, MessageSquare, Mic, MicOff, Monitor,
  MonitorOff, Moon, Pause, Phone, PhoneIncoming, PhoneMissed, PhoneOff, PhoneOutgoing, PictureInPicture2, Play, Search, Send, Settings,
  Signal, Sun, SunMoon, UserPlus, Video, VideoOff, X,
} from 'lucide';
import type { IconNode } from 'lucide';
import { unsafeSVG } from 'lit/directives/unsafe-svg.js';
import type { DirectiveResult } from 'lit/directive.js';

const ICONS = {
  back: ArrowLeft, check: Check, delivered: CheckCheck, alert: CircleAlert, help: CircleHelp, clock: Clock, keyboard: Keyboard,
  logout: LogOut, fullscreen: Maximize, chat: MessageSquare, mic: Mic, micOff: MicOff, screen: Monitor, screenOff: MonitorOff,
  dark: Moon, hold: Pause, phone: Phone, incoming: PhoneIncoming, missed: PhoneMissed, hangUp: PhoneOff, outgoing: PhoneOutgoing,
  pip: PictureInPicture2, resume: Play, search: Search, send: Send, settings: Settings, signal: Signal, light: Sun, system: SunMoon,
  addContact: UserPlus, video: Video, videoOff: VideoOff, close: X,
} satisfies Record<string, IconNode>;

export type IconName = keyof typeof ICONS;

const escape = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** The SVG markup of an icon node (elements and attributes only, as lucide gives them). */
export function iconMarkup(node: IconNode, size = 20): string {
  const children = node.map(([tag, attrs]) => `<${tag} ${Object.entries(attrs).map(([k, v]) => `${k}="${escape(String(v))}"`).join(' ')}/>`).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false" class="icon">${children}</svg>`;
}

const rendered = new Map<string, DirectiveResult>();

/** The icon, for a Lit template. */
export function icon(name: IconName, size = 20): DirectiveResult {
  const key = `${name}/${size}`;
  let result = rendered.get(key);
  if (!result) rendered.set(key, (result = unsafeSVG(iconMarkup(ICONS[name], size))));
  return result;
}
