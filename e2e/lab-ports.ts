// The test lab's ports: apart from `npm start`'s, so both can run at once.
export const TEST_LAB = {
  // JINGLE_LAB_TEST_DIR lets two runs in two network namespaces share a checkout.
  dir: process.env.JINGLE_LAB_TEST_DIR ?? '.test-lab',
  c2sPort: 25222,
  // Direct TLS (XEP-0368); the client port above offers STARTTLS.
  c2sTlsPort: 25223,
  httpPort: 25280,
  appPort: 25173,
  turnPort: 23478,
  origin: 'http://localhost:25173',
};

/** The LAN-mode lab that e2e/lan.spec.ts starts next to the test lab, and the address it makes for it. */
export const LAN_TEST_LAB = {
  dir: `${process.env.JINGLE_LAB_TEST_DIR ?? '.test-lab'}-lan`,
  // Inside the tests' network namespace a dummy interface gets this address;
  // outside one, 127.0.0.1 stands in for it.
  address: process.env.JINGLE_LAB_NETNS ? '10.77.0.1' : '127.0.0.1',
  c2sPort: 26222,
  c2sTlsPort: 26223,
  httpPort: 26280,
  appPort: 26173,
  turnPort: 26478,
};

/** Accounts of the test lab that are in nobody's roster. */
export const STRANGERS = [{ user: 'mallory', name: 'Mallory', password: 'mallory' }];

/** A domain of the test lab whose server offers no STUN/TURN, and its one account. */
export const TURNLESS = { host: 'noturn.localhost', user: 'dave', name: 'Dave', password: 'dave' };
