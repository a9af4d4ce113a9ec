/** `npm run scenario -- --out DIR ...` (scenario.ts). */
import { runScenarioCli } from './scenario.js';

void runScenarioCli(process.argv.slice(2), { stderr: process.stderr, memory: () => Math.max(process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024), now: () => performance.now() }).then((code) => {
  process.exitCode = code;
});
