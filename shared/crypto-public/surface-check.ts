/**
 * A compile-time check on this package's public surface: no value it exports
 * is libsodium, or a function that returns it. The build fails here, naming
 * the export, if one does; whoever holds the library can decrypt, and the
 * server depends on this package. (A relative import of libsodium.ts from
 * outside the package is refused by the dependency rules instead:
 * build-rules/dependency-rules.cjs, libsodium-stays-inside-crypto-public.)
 */
import type * as Surface from './index.js';
import type { Sodium } from './libsodium.js';

/** True for libsodium itself and for any function whose (awaited) result hands it out. */
type HandsOutSodium<T> = [T] extends [Sodium]
  ? true
  : T extends (...args: never[]) => infer Result
    ? HandsOutSodium<Awaited<Result>>
    : false;

type Offenders = { [Name in keyof typeof Surface]: HandsOutSodium<(typeof Surface)[Name]> extends true ? Name : never }[keyof typeof Surface];

export const noExportHandsOutLibsodium: [Offenders] extends [never] ? true : { libsodiumHandedOutBy: Offenders } = true;
