/**
 * Placeholder entry point until the relay server lands (issue 3): `npm start`
 * must work on a fresh clone, and say plainly what there is so far.
 */
import { cryptoReady } from '../shared/crypto/sodium.js';

await cryptoReady();
process.stdout.write(
  'Envelope: the crypto core (shared/crypto) is built and tested; the relay server and web app are not built yet.\n' +
    'Run `npm test` for the tests and `npm run bench` for the benchmarks.\n',
);
