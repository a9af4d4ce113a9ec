/**
 * envelope: a scriptable terminal client, a thin shell over shared/client.
 *
 *   npx tsx client/cli/main.ts --server http://127.0.0.1:3000 --profile ./alice register alice
 *
 * stdout: one JSON object per line, for scripts. stderr: lines for people.
 * Exit code 0 on success; otherwise one stderr line and a code from report.ts.
 * ENVELOPE_DEBUG=1 also traces the connection on stderr. The command itself is run.ts.
 */
import { installNativeX25519 } from './native-x25519.js';
import { runCli } from './run.js';

/** After the work is done, the process must end even if some handle lingers. */
const EXIT_GRACE_MS = 3_000;

// X25519 in libsodium compiled for this machine rather than WebAssembly: the same bytes, about three times faster (native-x25519.ts).
installNativeX25519();
void runCli(process.argv.slice(2), { env: process.env, stdout: process.stdout, stderr: process.stderr }).then(exit);

function exit(code: number): void {
  process.exitCode = code;
  setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref();
}
