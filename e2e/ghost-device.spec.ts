/**
 * A device the server adds to an account (the "ghost" of some lawful-access
 * proposals) in the browser: the operator writes it into the server's own
 * database before Alice first writes to Bob. Alice's browser encrypts to it
 * (first contact trusts every device the server lists), but her safety number
 * covers it: the dialog says the number covers two devices, and Bob's screen
 * shows different digits.
 */
import Database from 'better-sqlite3';
import { addGhostDevice } from '@envelope/testkit/ghost-device.js';
import { databasePath } from '@envelope/server/storage/database.js';
import { cryptoReady } from '@envelope/crypto-public';
import { expect, screenshot, test } from './fixtures.js';
import { addContact, aliceAndBob, message, send } from './steps.js';

test('a device the server added shows in the safety number: two devices covered, and the numbers differ', async ({ page, browser, server, consoleErrors }) => {
  const { alice, bob, bobContext } = await aliceAndBob(page, browser, server.url, consoleErrors);

  // The operator, in its own database: a second device on Bob's account, with keys it holds.
  await cryptoReady();
  const db = new Database(databasePath(server.dataDir));
  db.pragma('busy_timeout = 5000');
  addGhostDevice(db, 'bob', server.url);
  db.close();

  await addContact(alice, 'bob');
  await send(alice, 'Is this just us?');
  await expect(message(bob, 'Is this just us?')).toHaveAttribute('data-direction', 'received');

  await alice.getByTestId('safety-number-button').click();
  const dialog = alice.getByTestId('safety-dialog');
  await expect(dialog.getByTestId('safety-number')).toHaveText(/^(\d{5}){12}$/);
  await expect(dialog.getByTestId('safety-devices')).toContainText('covers the 2 devices');
  await screenshot(page, 'classroom-safety-two-devices');

  await bob.getByTestId('safety-number-button').click();
  const bobDialog = bob.getByTestId('safety-dialog');
  await expect(bobDialog.getByTestId('safety-number')).toHaveText(/^(\d{5}){12}$/);
  await expect(bobDialog.getByTestId('safety-devices')).toHaveCount(0);
  expect(await bobDialog.getByTestId('safety-number').textContent()).not.toBe(await dialog.getByTestId('safety-number').textContent());
  await bobContext.close();
});
