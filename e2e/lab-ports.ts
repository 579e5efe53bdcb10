// The test lab's ports: apart from `npm start`'s, so both can run at once.
export const TEST_LAB = {
  dir: '.test-lab',
  c2sPort: 25222,
  httpPort: 25280,
  appPort: 25173,
  origin: 'http://localhost:25173',
};

/** Accounts of the test lab that are in nobody's roster. */
export const STRANGERS = [{ user: 'mallory', name: 'Mallory', password: 'mallory' }];
