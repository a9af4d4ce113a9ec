/**
 * `npm run agency -- COMMAND`: the lawful-intercept console on the command
 * line (agency.ts). stdout: JSON lines; stderr: lines for people.
 */
import { runAgencyCli } from './agency.js';

void runAgencyCli(process.argv.slice(2), { env: process.env, stdout: process.stdout, stderr: process.stderr }).then((code) => {
  process.exitCode = code;
});
