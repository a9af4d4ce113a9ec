/**
 * A compile-time check on this package's public surface, as in
 * @envelope/crypto-public: no value it exports is libsodium, or a function
 * that returns it. The rest of the server imports this package (through the
 * composition root, server/app.ts), so the library must not leak out of it.
 */
import type * as Surface from './index.js';
import type { Sodium } from './sodium.js';

type HandsOutSodium<T> = [T] extends [Sodium]
  ? true
  : T extends (...args: never[]) => infer Result
    ? HandsOutSodium<Awaited<Result>>
    : false;

type Offenders = { [Name in keyof typeof Surface]: HandsOutSodium<(typeof Surface)[Name]> extends true ? Name : never }[keyof typeof Surface];

export const noExportHandsOutLibsodium: [Offenders] extends [never] ? true : { libsodiumHandedOutBy: Offenders } = true;
