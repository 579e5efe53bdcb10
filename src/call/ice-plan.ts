// Which STUN/TURN servers a call's peer connection gets, and whether it may
// use anything but a relay ("Always relay calls").
import { type IceChoice, NO_SERVICES } from '../xmpp/external-services.ts';

export interface IcePlan {
  iceServers: RTCIceServer[];
  /** 'relay': only relayed candidates, so the peer never learns our addresses. */
  policy: RTCIceTransportPolicy;
  /** What the server offered (XEP-0215), for the call's details. */
  choice: IceChoice;
}

/** No servers, every candidate: what a call gets when nothing else is known. */
export const DIRECT_ONLY: IcePlan = { iceServers: [], policy: 'all', choice: NO_SERVICES };

/** The plan for a call, or why a relay-only call cannot start. */
export function planIce(choice: IceChoice, relayOnly: boolean): IcePlan | { refused: string } {
  if (relayOnly && choice.relays === 0) {
    return {
      refused: choice.unanswered
        ? 'The call cannot start: “Always relay calls” is on, and your server did not say in time which TURN relay to use. Try again, or turn the setting off.'
        : 'The call cannot start: “Always relay calls” is on, but your server offers no TURN relay (XEP-0215). Turn the setting off to call without one.',
    };
  }
  return { iceServers: choice.iceServers, policy: relayOnly ? 'relay' : 'all', choice };
}

/** One line for the call's details: what the server offered for ICE. */
export function describeServices(choice: IceChoice): string {
  if (choice.unanswered) return 'Your server did not say in time which STUN/TURN servers to use: host and peer-reflexive candidates only.';
  if (choice.source === 'none' || choice.iceServers.length === 0) {
    return 'Your server offers no STUN/TURN (XEP-0215): host and peer-reflexive candidates only.';
  }
  const stun = choice.iceServers.length - choice.relays;
  const version = choice.source.endsWith(':2') ? 'XEP-0215' : 'XEP-0215, extdisco:1';
  return `From your server (${version}): ${stun} STUN and ${choice.relays} TURN ${choice.relays === 1 ? 'server' : 'servers'}.`;
}
