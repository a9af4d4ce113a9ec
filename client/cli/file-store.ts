/**
 * A ClientStore in one JSON file (a CLI profile). Every put writes the whole
 * profile to a temporary file, fsyncs it, and renames it over the old one
 * (rename is atomic on POSIX), then fsyncs the directory so the rename itself
 * survives a power cut. A crash at any point leaves either the old profile or
 * the new one, never a mix. The file holds private keys: mode 0600, in a 0700
 * directory.
 *
 * JSON has no bytes, so this store encodes them at its boundary, once: a
 * Uint8Array in a value is written as {"$bytes": "<base64url>"} and read back
 * as a Uint8Array (format 2). A format-1 profile (before bytes were stored as
 * bytes) has base64url strings where keys now are bytes: it loads as it is,
 * and the record schemas convert those strings when they are read
 * (shared/client/store-records.ts).
 *
 * One process at a time: see profile-lock.ts. A fenced put (`ifEpoch`,
 * shared/client/ownership.ts) is checked against this process's copy of the
 * owner record, in the same step as the write: that fences two clients in one
 * process; the profile lock keeps a second process out.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { checkEpoch, ClientError, copyStorable, OWNER_KEY, type ClientStore, type PutOptions } from '@envelope/client-core';
import { fromBase64Url, toBase64Url } from '@envelope/crypto-public';

export const PROFILE_FILE = 'profile.json';
/** 1: bytes as the client's base64url strings; 2: bytes tagged as {"$bytes": ...} (what this version writes). */
const FORMAT_VERSION = 2;
const READABLE_VERSIONS: readonly unknown[] = [1, FORMAT_VERSION];
const BYTES_TAG = '$bytes';

/** A value as JSON text, bytes tagged. Checks it is plain data first (copyStorable), as every store does. */
export function encodeValue(key: string, value: unknown): string {
  return JSON.stringify(copyStorable(key, value), (_field, v: unknown) => (v instanceof Uint8Array ? { [BYTES_TAG]: toBase64Url(v) } : v));
}

/** JSON text back to a value, tagged bytes as Uint8Array. */
export function decodeValue(text: string): unknown {
  return JSON.parse(text, (_field, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const fields = Object.keys(v);
    const tagged = (v as Record<string, unknown>)[BYTES_TAG];
    return fields.length === 1 && typeof tagged === 'string' ? fromBase64Url(tagged, 'stored bytes') : v;
  });
}

export class FileStore implements ClientStore {
  /** Values as JSON text (bytes tagged), as on disk: encoded once, when written. */
  #data: Map<string, string>;
  /** Puts are applied one after another, each on the result of the last. */
  #writing: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly directory: string,
    data: Map<string, string>,
  ) {
    this.#data = data;
  }

  get path(): string {
    return join(this.directory, PROFILE_FILE);
  }

  /** Opens (creating the directory if needed) the profile in `directory`. */
  static async open(directory: string): Promise<FileStore> {
    await mkdir(directory, { recursive: true, mode: 0o700 });
    const path = join(directory, PROFILE_FILE);
    let text: string | null = null;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    return new FileStore(directory, text === null ? new Map() : parseProfile(text, path));
  }

  async get(key: string): Promise<unknown> {
    const text = this.#data.get(key);
    if (text === undefined) return undefined;
    try {
      return decodeValue(text);
    } catch {
      throw new ClientError('STORE_CORRUPT', `the stored value "${key}" holds malformed bytes`, { key });
    }
  }

  async list(prefix: string): Promise<string[]> {
    return [...this.#data.keys()].filter((key) => key.startsWith(prefix)).sort();
  }

  put(entries: Readonly<Record<string, unknown>>, options?: PutOptions): Promise<void> {
    const result = this.#writing.then(() => this.#apply(entries, options));
    this.#writing = result.catch(() => undefined);
    return result;
  }

  async #apply(entries: Readonly<Record<string, unknown>>, options: PutOptions | undefined): Promise<void> {
    // Puts run one after another (#writing), so nothing changes the owner record between this check and the write.
    const owner = this.#data.get(OWNER_KEY);
    checkEpoch(options, owner === undefined ? undefined : JSON.parse(owner));
    const next = new Map(this.#data);
    for (const [key, value] of Object.entries(entries)) {
      if (value === undefined) next.delete(key);
      else next.set(key, encodeValue(key, value));
    }
    await writeAtomically(this.directory, PROFILE_FILE, serialise(next));
    // Only a profile that reached the disk becomes the one we read from.
    this.#data = next;
  }
}

function serialise(data: ReadonlyMap<string, string>): string {
  const fields = [...data].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, text]) => `${JSON.stringify(key)}:${text}`);
  return `{"v":${FORMAT_VERSION},"entries":{${fields.join(',')}}}\n`;
}

function parseProfile(text: string, path: string): Map<string, string> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ClientError('STORE_CORRUPT', `${path} is not valid JSON`);
  }
  const profile = json as { v?: unknown; entries?: unknown };
  if (!READABLE_VERSIONS.includes(profile?.v) || typeof profile.entries !== 'object' || profile.entries === null) {
    throw new ClientError('STORE_CORRUPT', `${path} is not an Envelope profile (version ${READABLE_VERSIONS.join(' or ')})`);
  }
  return new Map(Object.entries(profile.entries).map(([key, value]) => [key, JSON.stringify(value)]));
}

/** Writes `name` in `directory` so that it is either entirely old or entirely new, even after a crash. */
export async function writeAtomically(directory: string, name: string, contents: string): Promise<void> {
  const target = join(directory, name);
  const temporary = join(directory, `.${name}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const file = await open(temporary, 'wx', 0o600);
  try {
    await file.writeFile(contents, 'utf8');
    await file.sync();
  } catch (error) {
    await file.close();
    await rm(temporary, { force: true });
    throw error;
  }
  await file.close();
  try {
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  // fsync the directory so the new directory entry (the rename) is durable too.
  const dir = await open(directory, 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}
