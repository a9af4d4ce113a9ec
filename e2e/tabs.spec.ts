/**
 * One persona, two tabs of one browser profile (the same IndexedDB): a
 * person's keys run in one tab at a time (Web Locks, and the client core's
 * fencing behind them), because two tabs encrypting from one stored session
 * would use a message key twice. The second tab says so and offers to take
 * over; taking over stops the first, which says so; chat goes on from the second;
 * closing the tab that has the persona hands it to the tab waiting for it.
 */
import { expect, screenshot, test } from './fixtures.js';
import { addContact, aliceAndBob, message, pane, send } from './steps.js';

test('a persona open in another tab: the second tab offers to take over, the first then stops', async ({ page, context, browser, server, consoleErrors }) => {
  const { alice, bob, bobContext } = await aliceAndBob(page, browser, server.url, consoleErrors);
  await addContact(alice, 'bob');
  await send(alice, 'from the first tab');
  await expect(message(bob, 'from the first tab')).toHaveAttribute('data-direction', 'received');

  // A second tab of the same browser profile: Alice is already open in the first.
  const secondPage = await context.newPage();
  await secondPage.goto(server.url);
  const aliceHere = pane(secondPage, 'alice');
  const notice = aliceHere.getByTestId('persona-elsewhere');
  await expect(notice).toHaveAttribute('data-reason', 'elsewhere');
  await expect(notice).toContainText('This person is open in another tab.');
  await expect(aliceHere.getByTestId('message-input')).toHaveCount(0);
  await expect(aliceHere.getByTestId('remove-persona')).toHaveCount(0);
  // The first tab is unaffected so far.
  await expect(alice.getByTestId('connection-status')).toHaveAttribute('data-status', 'online');
  await screenshot(secondPage, 'classroom-open-elsewhere');

  await notice.getByRole('button', { name: 'Use it here instead' }).click();
  await expect(aliceHere.getByTestId('connection-status')).toHaveAttribute('data-status', 'online');
  const stopped = pane(page, 'alice').getByTestId('persona-elsewhere');
  await expect(stopped).toHaveAttribute('data-reason', 'taken-over');
  await expect(stopped).toContainText('This person is now open in another tab.');
  await expect(pane(page, 'alice').getByTestId('message-input')).toHaveCount(0);
  await screenshot(page, 'classroom-taken-over');

  // Chat goes on from the second tab, with the history the first tab made.
  await expect(message(aliceHere, 'from the first tab')).toHaveAttribute('data-direction', 'sent');
  await send(aliceHere, 'from the second tab');
  await expect(message(bob, 'from the second tab')).toHaveAttribute('data-direction', 'received');
  await send(bob, 'both arrived');
  await expect(message(aliceHere, 'both arrived')).toHaveAttribute('data-direction', 'received');

  // And back: the first tab can take it over again.
  await stopped.getByRole('button', { name: 'Use it here instead' }).click();
  await expect(pane(page, 'alice').getByTestId('connection-status')).toHaveAttribute('data-status', 'online');
  await expect(aliceHere.getByTestId('persona-elsewhere')).toHaveAttribute('data-reason', 'taken-over');
  await expect(message(pane(page, 'alice'), 'both arrived')).toHaveAttribute('data-direction', 'received');

  // Closing the tab that has the persona hands it to the one waiting, which goes on by itself.
  await page.close();
  await expect(aliceHere.getByTestId('connection-status')).toHaveAttribute('data-status', 'online');
  await send(bob, 'still here?');
  await expect(message(aliceHere, 'still here?')).toHaveAttribute('data-direction', 'received');
  await bobContext.close();
});
