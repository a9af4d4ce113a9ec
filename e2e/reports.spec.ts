/**
 * Verifiable user reports and sealed sender in the browser, against a real
 * server process: Bob reports one of Alice's messages from his chat; the
 * operator page's queue shows that message (and nothing else of the
 * conversation). Then Alice hides her name (sealed sender): her first message
 * still names her (Bob has not written to her, so the server would refuse it
 * sealed) and the page says why; once Bob has written, Bob still reads her from
 * the right person, and the server's live view shows the sender as hidden.
 */
import { expect, screenshot, test } from './fixtures.js';
import { addContact, join, message, pane, send } from './steps.js';

const REPORTED = 'send me a photo or I tell everyone';
const NOT_REPORTED = 'canary: the spare key is under the mat';
const SEALED = 'this one does not carry my name';
const BEFORE_BOB_WROTE = 'bob has not written to me yet';
const BOB_WRITES = 'hi alice, bob here';

test('a reported message reaches the operator’s queue, and only that message; sealed sender hides the sender', async ({ page, context, server }) => {
  await page.goto(server.url);
  const alice = await join(page, 'alice');
  await page.getByTestId('add-participant').click();
  const bob = await join(page, 'bob');

  await addContact(alice, 'bob');
  await send(alice, NOT_REPORTED);
  await send(alice, REPORTED);
  await expect(message(bob, REPORTED)).toHaveAttribute('data-direction', 'received');
  await expect(message(bob, NOT_REPORTED)).toHaveAttribute('data-direction', 'received');
  // Only received messages can be reported.
  await expect(message(alice, REPORTED).getByTestId('report-button')).toHaveCount(0);

  await message(bob, REPORTED).getByTestId('report-button').click();
  const dialog = bob.getByTestId('report-dialog');
  await expect(dialog.getByTestId('report-quote')).toHaveText(REPORTED);
  await expect(dialog).toContainText('this one message');
  await expect(dialog.getByTestId('report-confirm')).toBeDisabled(); // a reason first
  await dialog.getByTestId('report-reason-harassment').check();
  await screenshot(page, 'classroom-report-dialog');
  await dialog.getByTestId('report-confirm').click();
  await expect(dialog).toHaveCount(0);
  await expect(message(bob, REPORTED).getByTestId('message-reported')).toBeVisible();
  await expect(message(bob, REPORTED).getByTestId('report-button')).toHaveCount(0);
  await expect(bob.getByTestId('persona-notice')).toContainText('really sent this message');
  await screenshot(page, 'classroom-reported');

  const operator = await context.newPage();
  await operator.goto(`${server.url}/operator#token=${server.operatorToken}`);
  const queue = operator.getByTestId('reports-section');
  const item = queue.getByTestId('report-item');
  await expect(item).toHaveCount(1);
  await expect(item.getByTestId('report-text')).toHaveText(REPORTED);
  await expect(item).toHaveAttribute('data-sender', 'alice');
  await expect(item).toHaveAttribute('data-reporter', 'bob');
  await expect(item).toContainText('Harassment or bullying');
  await expect(item).toContainText('checked by the server’s stamp');
  // Nothing else of the conversation is on the server's page.
  expect(await operator.content()).not.toContain(NOT_REPORTED);
  // The server's view says how long a message nobody collects waits (MAILBOX_RETENTION_DAYS, 14 by default).
  await expect(operator.getByTestId('operator-schema')).toContainText('deleted unread after 14 days');
  await queue.scrollIntoViewIfNeeded();
  await operator.screenshot({ path: 'test-results/screens/operator-reports.png' });

  // Sealed sender: Alice hides her name. Bob has not written to her yet, so the
  // server would refuse a hidden-name message from her: this one still names her, and the page says so.
  await pane(page, 'alice').getByTestId('sealed-sender-toggle').click();
  await expect(pane(page, 'alice').getByTestId('sealed-sender-toggle')).toBeChecked();
  await expect(alice.getByTestId('persona-notice')).toContainText('Sealed sender is on');
  await expect(alice.getByTestId('persona-notice')).toContainText('Only for people who have written to you');
  await expect(alice.getByTestId('sealed-sender-limit')).toHaveText(/to people who have written to you/);
  await send(alice, BEFORE_BOB_WROTE);
  await expect(alice.getByTestId('persona-notice')).toContainText('bob has not written to you yet, so the server saw your name on this message');
  await expect(message(bob, BEFORE_BOB_WROTE)).toHaveAttribute('data-direction', 'received');
  await expect(operator.getByTestId('operator-envelope-row').first()).toContainText('alice');
  await screenshot(page, 'classroom-sealed-sender-stranger');

  // Bob writes back (his message gives Alice his profile key): now her name can be hidden.
  await send(bob, BOB_WRITES);
  await expect(message(alice, BOB_WRITES)).toHaveAttribute('data-direction', 'received');
  await send(alice, SEALED);
  await expect(message(bob, SEALED)).toHaveAttribute('data-direction', 'received');
  await screenshot(page, 'classroom-sealed-sender');
  // The server's live view: the newest envelope to bob has no sender it can name. (Bob's app's
  // receipt for it, sealed too, goes to alice: the newest row may be that one.)
  const newest = operator.getByTestId('operator-envelope-row').filter({ hasText: 'bob' }).first();
  await expect(newest).toContainText('hidden');
  await expect(newest).toContainText('sealed');
  await expect(newest.getByText('alice', { exact: false })).toHaveCount(0);
  await operator.screenshot({ path: 'test-results/screens/operator-sealed-sender.png' });
  expect(await operator.content()).not.toContain(SEALED);

  // Lock before the server stops, so no open stream breaks.
  await operator.getByRole('button', { name: 'Lock' }).click();
  await expect(operator.getByTestId('operator-token-request')).toBeVisible();
  await operator.close();
});
