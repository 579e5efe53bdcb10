// XEP-0167 §5: senders ⇄ SDP direction, from the point of view of the party
// who wrote the SDP.
import type { Role, Senders } from '../jingle/index.ts';

export type Direction = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

const other = (role: Role): Role => (role === 'initiator' ? 'responder' : 'initiator');

export function sendersFromDirection(direction: string | undefined, author: Role): Senders {
  switch (direction) {
    case 'sendonly':
      return author;
    case 'recvonly':
      return other(author);
    case 'inactive':
      return 'none';
    default:
      return 'both';
  }
}

export function directionFromSenders(senders: Senders | undefined, author: Role): Direction {
  switch (senders ?? 'both') {
    case 'both':
      return 'sendrecv';
    case 'none':
      return 'inactive';
    case author:
      return 'sendonly';
    default:
      return 'recvonly';
  }
}
