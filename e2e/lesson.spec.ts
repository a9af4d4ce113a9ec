/**
 * The guided lesson and resetting the class, end to end (real server process,
 * real SQLite, real Chromium): the presenter panel, opened with the lesson
 * link, ticks "Join" and "Chat" from the server's live events as two people in
 * their own browsers join and write (and not before); a step ticked and
 * unticked by hand, by keyboard; the panel on a 1280x720 projector with large
 * text and presentation mode; the student handout printed to PDF on exactly
 * one A4 page, the teacher sheet printed whole; axe on the panel and the
 * handout. Then the reset: the operator page's dialog lists what will be
 * deleted, saves the envelope log first, resets; the classroom panes say
 * their person no longer exists (no console error), the panel starts over,
 * and the name can join again.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import { expect, newWatchedContext, SCREENSHOT_DIR, test } from './fixtures.js';
import { addContact, aliceAndBob, join, message, pane, send } from './steps.js';

/** Pages in a PDF Chromium printed: one `/Type /Page` object each (`/Pages` is the tree). */
function pdfPages(pdf: Buffer): number {
  return pdf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g)?.length ?? 0;
}

async function blockingViolations(page: Page, screen: string): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical' || v.id === 'region')
    .map((v) => `[${screen}] ${v.id} (${v.impact}) at ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}: ${v.help}`);
}

function step(panel: Page, id: string): Locator {
  return panel.getByTestId(`lesson-step-${id}`);
}

async function openPanel(panel: Page, url: string, token: string): Promise<void> {
  await panel.goto(`${url}/lesson#token=${token}`);
  await expect(panel.getByTestId('lesson-page')).toBeVisible();
  // The token left the address bar at once.
  expect(new URL(panel.url()).hash).toBe('');
  await expect(panel.getByTestId('lesson-connection')).toHaveAttribute('data-state', 'live');
}

test('the presenter panel ticks join and chat from live events; hand ticks by keyboard; the handout prints on one A4 page', async ({ page, browser, server, consoleErrors }) => {
  const panel = page;
  await panel.setViewportSize({ width: 1280, height: 720 });
  await openPanel(panel, server.url, server.operatorToken);
  await expect(panel.getByTestId('lesson-step')).toHaveAttribute('data-step', 'join');
  await expect(step(panel, 'join')).toHaveAttribute('data-done', 'false');
  await expect(panel.getByTestId('lesson-check-note')).toContainText('Waiting for the server');

  // Alice and Bob join in browsers of their own: the panel ticks "Join" from the server's event.
  const classroom = await newWatchedContext(browser, consoleErrors);
  const alicePage = await classroom.newPage();
  await alicePage.goto(server.url);
  const alice = await join(alicePage, 'alice');
  await expect(step(panel, 'join')).toHaveAttribute('data-done', 'true');
  await expect(panel.getByTestId('lesson-check-note')).toHaveText('The server saw it: alice joined.');
  await expect(panel.getByTestId('lesson-announcement')).toHaveText('Step 1 done, Join: alice joined.');
  await expect(step(panel, 'chat')).toHaveAttribute('data-done', 'false');

  const bobContext = await newWatchedContext(browser, consoleErrors);
  const bobPage = await bobContext.newPage();
  await bobPage.goto(server.url);
  const bob = await join(bobPage, 'bob');
  await addContact(alice, 'bob');
  // Adding a contact fetches keys but sends nothing: still no tick.
  await expect(step(panel, 'chat')).toHaveAttribute('data-done', 'false');
  await send(alice, 'hello from the back row');
  await expect(message(bob, 'hello from the back row')).toBeVisible();
  await expect(step(panel, 'chat')).toHaveAttribute('data-done', 'true');
  await expect(panel.getByTestId('lesson-done-count')).toContainText('of 11 steps done');

  // Next step by keyboard; the focus lands on the step's title. The X-ray step ticked when Bob's device confirmed the message.
  await panel.getByTestId('lesson-step-chat').click();
  await expect(panel.getByTestId('lesson-check-note')).toHaveText('The server saw it: a message for bob reached the server from alice.');
  await panel.getByTestId('lesson-next').focus();
  await panel.keyboard.press('Enter');
  await expect(panel.getByTestId('lesson-step')).toHaveAttribute('data-step', 'xray');
  await expect(panel.getByRole('heading', { level: 2, name: /Step 3 of 11: X-ray a message/ })).toBeFocused();
  await expect(panel.getByTestId('lesson-check-note')).toHaveText('The server saw it: bob’s device confirmed a message; the server deleted its copy.');
  // Only one person has written (Bob's device sent only a receipt): "the server's view" waits; ticked and unticked by hand with Space.
  await panel.getByTestId('lesson-next').click();
  await expect(step(panel, 'server-view')).toHaveAttribute('data-done', 'false');
  const box = panel.getByTestId('lesson-check-box');
  await box.focus();
  await panel.keyboard.press('Space');
  await expect(step(panel, 'server-view')).toHaveAttribute('data-done', 'true');
  await expect(panel.getByTestId('lesson-check-note')).toHaveText('Ticked by hand.');
  await panel.keyboard.press('Space');
  await expect(step(panel, 'server-view')).toHaveAttribute('data-done', 'false');
  // A reload keeps the ticks (sessionStorage) and catches up from the server.
  await panel.reload();
  await expect(step(panel, 'chat')).toHaveAttribute('data-done', 'true');

  // On a projector: large text and presentation mode; the step's check, its question and the step list in view.
  await panel.getByTestId('large-text-toggle').click();
  await panel.getByTestId('presentation-toggle').click();
  await step(panel, 'server-view').click();
  const viewport = panel.viewportSize()!;
  for (const what of ['lesson-check', 'lesson-question', 'lesson-step-wrap-up', 'lesson-next']) {
    const found = (await panel.getByTestId(what).boundingBox())!;
    expect(found.y + found.height, `${what} inside the 720 px screen`).toBeLessThanOrEqual(viewport.height + 0.5);
    expect(found.x + found.width, `${what} inside the 1280 px screen`).toBeLessThanOrEqual(viewport.width + 0.5);
  }
  await panel.screenshot({ path: `${SCREENSHOT_DIR}/lesson-panel-1280x720.png` });
  expect(await blockingViolations(panel, 'lesson panel')).toEqual([]);
  await panel.getByTestId('presentation-toggle').click();
  await panel.getByTestId('large-text-toggle').click();

  // The handout: the same steps, room for answers, exactly one A4 page printed.
  const handoutLink = panel.getByTestId('handout-link');
  await expect(handoutLink).toHaveAttribute('href', '/lesson/handout');
  const handout = await page.context().newPage();
  await handout.goto(`${server.url}/lesson/handout`);
  await expect(handout.getByTestId('handout-step')).toHaveCount(11);
  await expect(handout.getByTestId('handout-step').first()).toContainText('What does the server need to know about you to deliver a message?');
  expect(await blockingViolations(handout, 'handout')).toEqual([]);
  const handoutPdf = await handout.pdf({ format: 'A4', path: `${SCREENSHOT_DIR}/lesson-handout.pdf` });
  expect(pdfPages(handoutPdf)).toBe(1);

  // The teacher sheet: every step with what to say and its sources, printed whole.
  await handout.goto(`${server.url}/lesson/teacher`);
  await expect(handout.getByTestId('teacher-step')).toHaveCount(11);
  await expect(handout.getByTestId('lesson-teacher-sheet')).toContainText('will rarely, if ever');
  await expect(handout.getByTestId('lesson-teacher-sheet')).toContainText('Recorded Future News');
  const sheetPdf = await handout.pdf({ format: 'A4', path: `${SCREENSHOT_DIR}/lesson-teacher-sheet.pdf` });
  expect(pdfPages(sheetPdf)).toBeGreaterThanOrEqual(2);
  await handout.close();

  await classroom.close();
  await bobContext.close();
});

test('resetting the class: the dialog counts what goes and saves the log first; the classroom says its people are gone; the panel starts over', async ({ page, browser, server, consoleErrors }) => {
  const { alice, bob, bobContext, bobPage } = await aliceAndBob(page, browser, server.url, consoleErrors);
  await addContact(alice, 'bob');
  await send(alice, 'before the reset');
  await expect(message(bob, 'before the reset')).toBeVisible();

  const operatorContext = await newWatchedContext(browser, consoleErrors);
  const operator = await operatorContext.newPage();
  await operator.goto(`${server.url}/operator#token=${server.operatorToken}`);
  await expect(operator.getByTestId('operator-page')).toBeVisible();
  // The lesson panel in another tab of the operator's browser (the link from the operator page keeps the token in the tab).
  const panel = await operatorContext.newPage();
  await openPanel(panel, server.url, server.operatorToken);
  await expect(step(panel, 'chat')).toHaveAttribute('data-done', 'true');

  const opener = operator.getByTestId('reset-open');
  await opener.click();
  const dialog = operator.getByTestId('reset-dialog');
  await expect(dialog).toBeVisible();
  const deletes = dialog.getByTestId('reset-deletes');
  await expect(deletes).toContainText('2 accounts, with 2 devices');
  await expect(deletes).toContainText(/\d+ envelopes in the envelope log/);
  await expect(dialog).toContainText('The server stays in end-to-end encryption.');
  await operator.screenshot({ path: `${SCREENSHOT_DIR}/operator-reset-dialog.png` });
  expect(await blockingViolations(operator, 'reset dialog')).toEqual([]);

  // Export first: the envelope log as the server's JSON file.
  const download = operator.waitForEvent('download');
  await dialog.getByTestId('reset-export-log').click();
  const saved = await download;
  expect(saved.suggestedFilename()).toMatch(/^envelope-log-\d{4}-\d{2}-\d{2}\.json$/);
  await expect(dialog.getByTestId('reset-saved')).toContainText('Saved the envelope log');
  const warrant = operator.waitForEvent('download');
  await dialog.getByTestId('reset-export-person').selectOption('bob');
  await dialog.getByTestId('reset-export-warrant').click();
  expect((await warrant).suggestedFilename()).toMatch(/bob/);

  await dialog.getByTestId('reset-confirm').click();
  await expect(dialog).toBeHidden();
  await expect(operator.getByTestId('reset-result')).toContainText('2 accounts');
  await expect(opener).toBeFocused();

  // The classroom: each pane says its person is gone, in words, and offers to join again.
  await expect(alice.getByTestId('persona-gone')).toContainText('The teacher reset the class: “alice” no longer exists on the server');
  await expect(bob.getByTestId('persona-gone')).toContainText('“bob” no longer exists');
  await page.screenshot({ path: `${SCREENSHOT_DIR}/classroom-after-reset.png` });
  // A tab opened again later: its sign-in is refused (the server's 401, which Chromium logs: that one is expected), and it says the same.
  await bobPage.reload();
  await expect(pane(bobPage, 'bob').getByTestId('persona-gone')).toContainText('The server no longer knows “bob”');
  const refusal = consoleErrors.findIndex((line) => line.includes('status of 401'));
  expect(refusal, 'the refused sign-in was logged').toBeGreaterThanOrEqual(0);
  consoleErrors.splice(refusal, 1);
  // The panel starts over, and says so.
  await expect(step(panel, 'join')).toHaveAttribute('data-done', 'false');
  await expect(step(panel, 'chat')).toHaveAttribute('data-done', 'false');
  await expect(panel.getByTestId('lesson-announcement')).toHaveText('The class was reset: the lesson starts over.');

  // The name is free again: Alice joins anew, and the panel ticks "Join" for the new class.
  await alice.getByTestId('join-again').click();
  await join(page, 'alice');
  await expect(step(panel, 'join')).toHaveAttribute('data-done', 'true');
  await expect(operator.getByTestId('operator-page')).toBeVisible();
  await bobContext.close();
  await operatorContext.close();
});
