// Icons from the lucide package, as inline SVG: one module per icon used, so
// that the bundle and the dev server carry only these. Decorative
// (aria-hidden): each control that shows one has its own accessible name.
import ArrowLeft from 'lucide/dist/esm/icons/arrow-left.mjs';
import Check from 'lucide/dist/esm/icons/check.mjs';
import CheckCheck from 'lucide/dist/esm/icons/check-check.mjs';
import CircleAlert from 'lucide/dist/esm/icons/circle-alert.mjs';
import CircleHelp from 'lucide/dist/esm/icons/circle-question-mark.mjs';
import Clock from 'lucide/dist/esm/icons/clock.mjs';
import Keyboard from 'lucide/dist/esm/icons/keyboard.mjs';
import LogOut from 'lucide/dist/esm/icons/log-out.mjs';
import Maximize from 'lucide/dist/esm/icons/maximize.mjs';
import MessageSquare from 'lucide/dist/esm/icons/message-square.mjs';
import Mic from 'lucide/dist/esm/icons/mic.mjs';
import MicOff from 'lucide/dist/esm/icons/mic-off.mjs';
import Monitor from 'lucide/dist/esm/icons/monitor.mjs';
import MonitorOff from 'lucide/dist/esm/icons/monitor-off.mjs';
import Moon from 'lucide/dist/esm/icons/moon.mjs';
import Pause from 'lucide/dist/esm/icons/pause.mjs';
import Phone from 'lucide/dist/esm/icons/phone.mjs';
import PhoneIncoming from 'lucide/dist/esm/icons/phone-incoming.mjs';
import PhoneMissed from 'lucide/dist/esm/icons/phone-missed.mjs';
import PhoneOff from 'lucide/dist/esm/icons/phone-off.mjs';
import PhoneOutgoing from 'lucide/dist/esm/icons/phone-outgoing.mjs';
import PictureInPicture2 from 'lucide/dist/esm/icons/picture-in-picture-2.mjs';
import Play from 'lucide/dist/esm/icons/play.mjs';
import ScanSearch from 'lucide/dist/esm/icons/scan-search.mjs';
import Search from 'lucide/dist/esm/icons/search.mjs';
import Send from 'lucide/dist/esm/icons/send.mjs';
import Settings from 'lucide/dist/esm/icons/settings.mjs';
import Signal from 'lucide/dist/esm/icons/signal.mjs';
import Sun from 'lucide/dist/esm/icons/sun.mjs';
import SunMoon from 'lucide/dist/esm/icons/sun-moon.mjs';
import UserPlus from 'lucide/dist/esm/icons/user-plus.mjs';
import Video from 'lucide/dist/esm/icons/video.mjs';
import X from 'lucide/dist/esm/icons/x.mjs';
import VideoOff from 'lucide/dist/esm/icons/video-off.mjs';
import type { IconNode } from 'lucide';
import { unsafeSVG } from 'lit/directives/unsafe-svg.js';
import type { DirectiveResult } from 'lit/directive.js';

const ICONS = {
  back: ArrowLeft, check: Check, delivered: CheckCheck, alert: CircleAlert, help: CircleHelp, clock: Clock, keyboard: Keyboard,
  logout: LogOut, fullscreen: Maximize, chat: MessageSquare, mic: Mic, micOff: MicOff, screen: Monitor, screenOff: MonitorOff,
  dark: Moon, hold: Pause, phone: Phone, incoming: PhoneIncoming, missed: PhoneMissed, hangUp: PhoneOff, outgoing: PhoneOutgoing,
  pip: PictureInPicture2, resume: Play, inspect: ScanSearch, search: Search, send: Send, settings: Settings, signal: Signal, light: Sun, system: SunMoon,
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
