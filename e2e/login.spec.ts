import { expect, test } from '@playwright/test';
import { openApp } from './parties.ts';

// The browser itself logs failed connections; only the app's own errors count.
const ownErrors = (messages: string[]) => messages.filter((m) => !/^(WebSocket connection to|Failed to load resource)/.test(m));

async function loginForm(browser: import('@playwright/test').Browser) {
  const app = await openApp(browser);
  const consoleErrors: string[] = [];
  app.page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(msg.text());
  });
  await app.page.goto('/');
  const fill = async (jid: string, password: string, service = '') => {
    await app.page.getByLabel('Address (JID)').fill(jid);
    await app.page.getByLabel('Password').fill(password);
    await app.page.getByLabel(/WebSocket URL/).fill(service);
    await app.page.getByRole('button', { name: 'Log in' }).click();
  };
  return { ...app, fill, consoleErrors };
}

test('a wrong password, an unreachable server and a malformed JID each say what to do', async ({ browser }) => {
  const { page, errors, consoleErrors, fill, close } = await loginForm(browser);
  const alert = page.getByRole('alert');

  await fill('alice@localhost', 'not-the-password');
  await expect(alert).toHaveText(/Wrong address or password/);

  await fill('alice@localhost', 'alice', 'ws://localhost:9/xmpp-websocket');
  await expect(alert).toHaveText(/Cannot reach the XMPP server at ws:\/\/localhost:9\/xmpp-websocket/);

  await fill('alice at localhost', 'alice');
  await expect(alert).toHaveText(/not a valid JID/);

  await fill('alice@localhost', 'alice', 'http://localhost/ws');
  await expect(alert).toHaveText(/must start with ws:\/\/ or wss:\/\//);

  expect(errors).toEqual([]);
  expect(ownErrors(consoleErrors)).toEqual([]);
  await close();
});

test('without a WebSocket URL the app finds the server through host-meta', async ({ browser }) => {
  const { page, errors, fill, close } = await loginForm(browser);
  await fill('carol@localhost', 'carol');
  await expect(page.getByRole('list', { name: 'Contacts' })).toBeVisible();
  await expect(page.locator('span.me')).toHaveText(/^carol@localhost\/jinglelab-/);
  expect(errors).toEqual([]);
  await page.getByRole('button', { name: 'Log out' }).click();
  await close();
});

test('the login link logs in and leaves no password in the address bar', async ({ browser }) => {
  const { page, close } = await openApp(browser);
  await page.goto('/#jid=bob%40localhost&password=bob&service=ws%3A%2F%2Flocalhost%3A25173%2Fxmpp-websocket');
  await expect(page.getByRole('list', { name: 'Contacts' })).toBeVisible();
  expect(page.url()).not.toContain('password');
  expect(page.url()).not.toContain('#');
  await page.getByRole('button', { name: 'Log out' }).click();
  await close();
});
