/**
 * A class of thirty on one projector: thirty people in a real server process,
 * three of them in real browser profiles (alice and bob as two panes of one,
 * carol in another) and twenty-seven as real client-core clients over
 * WebSocket in this process (the same code the CLI runs, with real PQXDH and
 * Double Ratchet encryption), holding about two hundred conversations, some
 * replies sealed (the sender hidden from the server). Then the server's view
 * at 1280x720 and 1024x768, normal and in presentation mode: thirty people in
 * the graph with no two names overlapping (measured on the page), every name
 * inside the graph, each person's accessible name the name shown, the
 * hidden-sender count the server's, the keyboard and the selection shared
 * with the timeline, and the envelope table drawing a bounded number of rows
 * while its count says how many envelopes the server's log holds.
 * Screenshots: test-results/screens/room-of-thirty-*.png.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import { WebSocket } from 'ws';
import { ClientError, EnvelopeClient, MemoryStore, type WebSocketFactory } from '@envelope/client-core';
import { getJson, PATIENCE_MS, startProcess, tempDataDir } from '@envelope/testkit/harness.js';
import { expect, newWatchedContext, SCREENSHOT_DIR, test } from './fixtures.js';
import { addContact, join, message, send } from './steps.js';

const IN_BROWSERS = ['alice', 'bob', 'carol'] as const;
const IN_NODE = [
  'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'mallory', 'niaj', 'olivia', 'peggy', 'quentin', 'rupert', 'sybil',
  'trent', 'ursula', 'victor', 'walter', 'xavier', 'yvonne', 'zoe', 'amir', 'bea', 'chen', 'dmitri', 'emma', 'farah',
] as const;
/** Each node client writes to the ones this far along the list: 27 x 7 = 189 different pairs. */
const OFFSETS = [1, 2, 3, 5, 8, 13, 21];
/** The table draws the rows in view and a few around them: never near the 300 the page keeps. */
const MAX_DRAWN_ROWS = 60;

/**
 * Sends, trying again if the client could not reach the server before the
 * message was queued (on this busy two-core machine a first contact's key
 * bundle request now and then meets a connection the server is closing, and
 * the client gives up on it: SERVER_UNREACHABLE, nothing queued or sent).
 */
async function sendWithRetry(client: EnvelopeClient, to: string, text: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await client.send(to, text);
      return;
    } catch (error) {
      if (!(error instanceof ClientError && error.code === 'SERVER_UNREACHABLE') || attempt === SEND_ATTEMPTS) throw error;
      console.log(`room of thirty: ${to} unreachable on attempt ${attempt} (${String((error as { cause?: unknown }).cause ?? error.message)}), trying again`);
    }
  }
}

/** A few: the failure above is rare, and a server really gone fails every attempt. */
const SEND_ATTEMPTS = 4;

interface NodePerson {
  readonly name: string;
  readonly client: EnvelopeClient;
  /** Resolves once this many messages have arrived. */
  received(count: number): Promise<void>;
}

async function nodePerson(serverUrl: string, name: string): Promise<NodePerson> {
  const client = await EnvelopeClient.open({ serverUrl, store: new MemoryStore(), WebSocket: WebSocket as unknown as WebSocketFactory });
  await client.register(name);
  let arrived = 0;
  const waiting: { count: number; resolve: () => void }[] = [];
  client.events.on('message', () => {
    arrived++;
    for (const wait of waiting.filter((w) => w.count <= arrived)) {
      waiting.splice(waiting.indexOf(wait), 1);
      wait.resolve();
    }
  });
  const ready = client.whenReady(PATIENCE_MS);
  client.connect();
  await ready;
  return {
    name,
    client,
    received: (count) => (arrived >= count ? Promise.resolve() : new Promise((resolve) => waiting.push({ count, resolve }))),
  };
}

/** What the page draws of the graph, measured in the browser: each name's box, each circle's box, the SVG's box. */
async function graphGeometry(page: Page) {
  return page.getByTestId('operator-graph').evaluate((figure) => {
    const rect = (element: Element) => {
      const r = element.getBoundingClientRect();
      return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, height: r.height };
    };
    const people = [...figure.querySelectorAll('[data-testid="operator-graph-person"]')].map((node) => ({
      username: node.getAttribute('data-username')!,
      label: node.getAttribute('aria-label'),
      shown: node.querySelector('[data-testid="operator-graph-name"]')!.textContent,
      name: rect(node.querySelector('[data-testid="operator-graph-name"]')!),
      circle: rect(node.querySelector('circle')!),
    }));
    return { svg: rect(figure.querySelector('svg')!), people };
  });
}

type Rect = { left: number; top: number; right: number; bottom: number };
const intersect = (a: Rect, b: Rect) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;

/** Thirty people, no name over another name or another's circle, every name inside the graph, each accessible name the name shown. */
async function expectReadableGraph(page: Page, what: string, minNamePx: number) {
  const { svg, people } = await graphGeometry(page);
  expect(people, what).toHaveLength(30);
  const clashes: string[] = [];
  for (const [i, p] of people.entries()) {
    expect(p.label, `${what}: ${p.username}'s accessible name is the name shown`).toBe(p.shown);
    expect(p.shown).toBe(p.username);
    for (const [j, q] of people.entries()) {
      if (i < j && intersect(p.name, q.name)) clashes.push(`${p.username}'s name / ${q.username}'s name`);
      if (i !== j && intersect(p.name, q.circle)) clashes.push(`${p.username}'s name / ${q.username}'s circle`);
    }
    for (const edge of ['left', 'top'] as const) expect(p.name[edge], `${what}: ${p.username}'s name inside the graph (${edge})`).toBeGreaterThanOrEqual(svg[edge] - 0.5);
    for (const edge of ['right', 'bottom'] as const) expect(p.name[edge], `${what}: ${p.username}'s name inside the graph (${edge})`).toBeLessThanOrEqual(svg[edge] + 0.5);
  }
  expect(clashes, `${what}: overlapping names`).toEqual([]);
  const smallest = Math.min(...people.map((p) => p.name.height));
  expect(smallest, `${what}: the smallest name's height on screen, in px`).toBeGreaterThanOrEqual(minNamePx);
  return smallest;
}

async function expectInsideViewport(page: Page, locator: Locator, what: string) {
  const box = (await locator.boundingBox())!;
  const size = page.viewportSize()!;
  expect(box.x, what).toBeGreaterThanOrEqual(-0.5);
  expect(box.y, what).toBeGreaterThanOrEqual(-0.5);
  expect(box.x + box.width, what).toBeLessThanOrEqual(size.width + 0.5);
  expect(box.y + box.height, what).toBeLessThanOrEqual(size.height + 0.5);
}

test('a room of thirty: the graph stays readable and the envelope table bounded at 1280x720 and 1024x768, normal and in presentation mode', async ({ page, browser, consoleErrors }) => {
  test.setTimeout(900_000);
  // Two hundred first contacts from one address in a few seconds: the per-address bundle limit (60 a minute) is for abuse, not a test.
  const server = await startProcess(tempDataDir(), { BUNDLE_FETCHES_PER_ADDRESS_PER_MINUTE: '100000', BUNDLE_FETCHES_PER_MINUTE: '100000' });
  const nodes: NodePerson[] = [];
  const carolContext = await newWatchedContext(browser, consoleErrors);
  try {
    // Three people in browsers.
    await page.goto(server.url);
    const alice = await join(page, 'alice');
    await page.getByTestId('add-participant').click();
    const bob = await join(page, 'bob');
    const carolPage = await carolContext.newPage();
    await carolPage.goto(server.url);
    const carol = await join(carolPage, 'carol');

    // The server's view, open before the room starts chatting.
    const operator = await page.context().newPage();
    await operator.setViewportSize({ width: 1280, height: 720 });
    await operator.goto(`${server.url}/operator#token=${server.operatorToken}`);
    await expect(operator.getByTestId('operator-connection')).toHaveAttribute('data-state', 'live');

    // Twenty-seven more as client-core clients, a few at a time (each makes its keys in WebAssembly).
    for (let start = 0; start < IN_NODE.length; start += 9) {
      nodes.push(...(await Promise.all(IN_NODE.slice(start, start + 9).map((name) => nodePerson(server.url, name)))));
    }

    // 189 pairs among the node clients, and nine of them write to the three in browsers.
    const expected = new Map<string, number>(IN_NODE.map((name) => [name, 0]));
    const plan = nodes.map((_, i) => OFFSETS.map((offset) => nodes[(i + offset) % nodes.length]!.name));
    for (const targets of plan) for (const to of targets) expected.set(to, expected.get(to)! + 1);
    await Promise.all(
      nodes.map(async (from, i) => {
        for (const to of plan[i]!) await sendWithRetry(from.client, to, `hello ${to}, ${from.name} here`);
        if (i < 9) await sendWithRetry(from.client, IN_BROWSERS[i % 3]!, `hi ${IN_BROWSERS[i % 3]}, from ${from.name}`);
      }),
    );
    await Promise.all(nodes.map((person) => person.received(expected.get(person.name)!)));

    // Every other node client replies to whoever wrote to it first, with its name hidden (sealed sender: the sender wrote to it, so it may).
    await Promise.all(
      nodes.map(async (person, i) => {
        const firstWriter = nodes[(i - 1 + nodes.length) % nodes.length]!;
        if (i % 2 === 0) await person.client.setSealedSender(true);
        await sendWithRetry(person.client, firstWriter.name, `thanks ${firstWriter.name}`);
      }),
    );
    // Each node client's next one along answered it: one more message each.
    await Promise.all(nodes.map((person) => person.received(expected.get(person.name)! + 1)));

    // The browser people talk too: alice answers dave, carol writes to bob.
    await expect(alice.getByTestId('contact-dave')).toBeVisible();
    await alice.getByTestId('contact-dave').click();
    await expect(alice.getByTestId('contact-dave')).toHaveAttribute('aria-pressed', 'true');
    await send(alice, 'Hi dave, alice in the browser');
    await addContact(carol, 'bob');
    await send(carol, 'Bob, can the server read this?');
    await bob.getByTestId('contact-carol').click();
    await expect(message(bob, 'Bob, can the server read this?')).toHaveAttribute('data-direction', 'received');

    // The server's view, open all along: it follows the room's traffic live.
    await expect(operator.getByTestId('operator-graph-person')).toHaveCount(30);

    // Every envelope counted, as the server's own graph counts them, while the table draws a few dozen rows.
    const serverCounts = async () => {
      const { json } = await getJson(`${server.url}/api/operator/graph`, server.operatorToken);
      const total = (json.nodes as { received: number }[]).reduce((sum, node) => sum + node.received, 0) + (json.receipts as number);
      return { total, hidden: json.unattributed as number };
    };
    await expect
      .poll(async () => {
        const [shown, counts] = await Promise.all([operator.getByTestId('operator-stream-count').getAttribute('data-total'), serverCounts()]);
        return Number(shown) - counts.total;
      })
      .toBe(0);
    const { total, hidden } = await serverCounts();
    expect(total, 'envelopes in the log: 227 messages and their receipts').toBeGreaterThan(300);
    expect(hidden, 'the 14 sealed replies (and sealed receipts): envelopes whose sender the server cannot name').toBeGreaterThanOrEqual(14);
    await expect(operator.getByTestId('operator-graph-hidden')).toHaveAttribute('data-count', String(hidden));
    await expect(operator.getByTestId('operator-stream-count')).toContainText(`${total} envelopes in the server’s log; the newest 300 are listed here`);
    const drawnRows = await operator.getByTestId('operator-envelope-row').count();
    expect(drawnRows, 'rows drawn in the table').toBeLessThanOrEqual(MAX_DRAWN_ROWS);
    expect(drawnRows).toBeGreaterThan(5);
    // Scrolled to the end, the table draws the oldest rows it keeps, and still only a few dozen.
    await operator.getByTestId('operator-envelopes-scroll').evaluate((element) => element.scrollTo(0, element.scrollHeight));
    await expect(operator.getByTestId('operator-envelope-row').last()).toHaveAttribute('aria-rowindex', '301');
    expect(await operator.getByTestId('operator-envelope-row').count()).toBeLessThanOrEqual(MAX_DRAWN_ROWS);
    await operator.getByTestId('operator-envelopes-scroll').evaluate((element) => element.scrollTo(0, 0));
    await expect(operator.getByTestId('operator-envelope-row').first()).toHaveAttribute('aria-rowindex', '2');

    const sizes = [
      { width: 1280, height: 720 },
      { width: 1024, height: 768 },
    ];
    const smallest: Record<string, number> = {};
    for (const size of sizes) {
      const label = `${size.width}x${size.height}`;
      await operator.setViewportSize(size);
      await operator.getByTestId('operator-graph').scrollIntoViewIfNeeded();
      smallest[`normal ${label}`] = await expectReadableGraph(operator, `normal, ${label}`, 15);
      await operator.screenshot({ path: `${SCREENSHOT_DIR}/room-of-thirty-graph-${label}.png` });
      await operator.locator('.operator-stream').scrollIntoViewIfNeeded();
      await operator.screenshot({ path: `${SCREENSHOT_DIR}/room-of-thirty-stream-${label}.png` });

      await operator.getByTestId('presentation-toggle').click();
      await expect(operator.locator('html')).toHaveClass(/\bpresentation\b/);
      // The layout follows the band's shape (in tenths of its aspect, at most 3.5): wait for it.
      await expect
        .poll(() =>
          operator.getByTestId('operator-graph').locator('svg').evaluate((svg: SVGSVGElement) => {
            const drawn = svg.viewBox.baseVal.width / svg.viewBox.baseVal.height;
            const box = Math.min(3.5, Math.max(1.2, svg.clientWidth / svg.clientHeight));
            return Math.abs(drawn - box) < 0.06;
          }),
        )
        .toBe(true);
      await expectInsideViewport(operator, operator.getByTestId('operator-graph').locator('svg'), `presentation ${label}: the graph`);
      await expectInsideViewport(operator, operator.locator('.operator-stream'), `presentation ${label}: the stream`);
      smallest[`presentation ${label}`] = await expectReadableGraph(operator, `presentation, ${label}`, 12);
      await operator.screenshot({ path: `${SCREENSHOT_DIR}/room-of-thirty-presentation-${label}.png` });
      await operator.getByTestId('presentation-toggle').click();
      await expect(operator.locator('html')).not.toHaveClass(/\bpresentation\b/);
    }
    console.log(`room of thirty: ${total} envelopes, ${hidden} with a hidden sender, ${drawnRows} rows drawn; smallest name on screen (px): ${JSON.stringify(smallest)}`);

    // The keyboard: one Tab stop in the graph, arrows move between people, Enter opens the timeline, + zooms, 0 resets.
    await operator.getByTestId('operator-graph').scrollIntoViewIfNeeded();
    const graph = operator.getByTestId('operator-graph');
    await expect(graph.locator('[data-testid="operator-graph-person"][tabindex="0"]')).toHaveCount(1);
    const first = graph.locator('[data-testid="operator-graph-person"][tabindex="0"]');
    await first.focus();
    const start = await first.getAttribute('data-username');
    for (const key of ['ArrowRight', 'ArrowDown', 'ArrowLeft', 'ArrowUp']) {
      await operator.keyboard.press(key);
      const now = await operator.evaluate(() => document.activeElement?.getAttribute('data-username') ?? null);
      if (now !== start) break;
    }
    const moved = await operator.evaluate(() => document.activeElement?.getAttribute('data-username') ?? null);
    expect(moved, 'an arrow key moved the focus to another person').not.toBeNull();
    expect(moved).not.toBe(start);
    await operator.keyboard.press('+');
    await expect(graph.locator('svg')).not.toHaveAttribute('data-zoom', '1.00');
    await operator.keyboard.press('0');
    await expect(graph.locator('svg')).toHaveAttribute('data-zoom', '1.00');
    await graph.getByRole('button', { name: moved!, exact: true }).focus();
    await operator.keyboard.press('Enter');
    const timeline = operator.getByTestId('operator-timeline');
    await expect(timeline).toHaveAttribute('data-username', moved!);
    await expect(graph.getByRole('button', { name: moved!, exact: true })).toHaveAttribute('aria-pressed', 'true');
    // And the other way: a name picked in the timeline is the one selected in the graph, with its lines' numbers shown.
    const peer = timeline.locator('.operator-timeline-peers button').first();
    const peerName = (await peer.textContent())!;
    await peer.click();
    await expect(timeline).toHaveAttribute('data-username', peerName);
    await expect(graph.getByRole('button', { name: peerName, exact: true })).toHaveAttribute('aria-pressed', 'true');
    await expect(graph.getByTestId('operator-graph-count').first()).toBeVisible();
    await operator.getByTestId('operator-graph').scrollIntoViewIfNeeded();
    await operator.screenshot({ path: `${SCREENSHOT_DIR}/room-of-thirty-selected-1024x768.png` });

    // axe on the graph and the table with thirty people in them.
    const { violations } = await new AxeBuilder({ page: operator }).include('.operator-graph-section').include('.operator-stream').analyze();
    const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
    expect(blocking).toEqual([]);
  } finally {
    await Promise.all(nodes.map((person) => person.client.close()));
    for (const context of browser.contexts()) await Promise.all(context.pages().map((open) => open.close()));
    await server.kill('SIGTERM');
  }
});
