// XEP-0280 Message Carbons: our other devices see the messages we send and get,
// so that one device's answer to a call stops the others ringing.
import { type Connection, xml } from './connection.ts';

export async function enableCarbons(connection: Connection): Promise<boolean> {
  try {
    await connection.request(xml('iq', { type: 'set' }, xml('enable', { xmlns: 'urn:xmpp:carbons:2' })), 10_000);
    return true;
  } catch {
    return false;
  }
}
