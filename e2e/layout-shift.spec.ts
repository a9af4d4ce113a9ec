/**
 * The home page does not jump as it loads (Lighthouse counted a cumulative
 * layout shift of 0.197 from the classroom's introduction moving when the
 * join address and the policy line filled in): Chromium's own layout-shift
 * entries, gathered by a PerformanceObserver from the first paint, at
 * Lighthouse's desktop size, until the page has filled in (the join
 * address, the policy line and a pane's join form shown).
 */
import { expect, SCREENSHOT_DIR, test } from './fixtures.js';

/** "Good", by web.dev's Core Web Vitals thresholds. */
const GOOD_CLS = 0.1;

test('the home page loads without a layout shift worth the name (CLS under 0.1, at 1350x940)', async ({ page, server }) => {
  await page.setViewportSize({ width: 1350, height: 940 });
  await page.addInitScript(() => {
    const shifts: { value: number; sources: string[] }[] = [];
    (window as unknown as { layoutShifts: typeof shifts }).layoutShifts = shifts;
    new PerformanceObserver((list) => {
      type Source = { node?: Node; previousRect: DOMRectReadOnly; currentRect: DOMRectReadOnly };
      for (const entry of list.getEntries() as unknown as { value: number; hadRecentInput: boolean; sources?: Source[] }[]) {
        if (entry.hadRecentInput) continue;
        const rect = (r: DOMRectReadOnly) => `${Math.round(r.x)},${Math.round(r.y)} ${Math.round(r.width)}x${Math.round(r.height)}`;
        const sources = (entry.sources ?? []).map((source) => {
          const node = source.node;
          const name = node instanceof Element ? `${node.tagName.toLowerCase()}.${[...node.classList].join('.')}` : String(node?.nodeName ?? '?');
          return `${name} ${rect(source.previousRect)} -> ${rect(source.currentRect)}`;
        });
        shifts.push({ value: entry.value, sources });
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
  await page.goto(server.url);
  await expect(page.getByTestId('join-address')).toBeVisible();
  await expect(page.getByTestId('policy-line')).toBeVisible();
  await expect(page.getByTestId('join-name')).toBeVisible();
  // One frame after the last of them, so a shift they caused has been reported.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  const shifts = await page.evaluate(() => (window as unknown as { layoutShifts: { value: number; sources: string[] }[] }).layoutShifts);
  const cls = shifts.reduce((sum, shift) => sum + shift.value, 0);
  console.log(`home page CLS ${cls.toFixed(3)}: ${JSON.stringify(shifts)}`);
  await page.screenshot({ path: `${SCREENSHOT_DIR}/home-1350x940.png` });
  expect(cls, JSON.stringify(shifts)).toBeLessThan(GOOD_CLS);
});
