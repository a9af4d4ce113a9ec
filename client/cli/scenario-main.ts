/** `npm run scenario -- --out DIR ...` (scenario.ts). */
import { installNativeX25519 } from './native-x25519.js';
import { runScenarioCli } from './scenario.js';

// --live runs real clients in this process: their X25519 in native libsodium (native-x25519.ts).
installNativeX25519();

void runScenarioCli(process.argv.slice(2), { stderr: process.stderr, memory: () => Math.max(process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024), now: () => performance.now() }).then((code) => {
  process.exitCode = code;
});
