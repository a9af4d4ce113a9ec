/**
 * A ClientStore in one JSON file (a CLI profile). Every put writes the whole
 * profile to a temporary file, fsyncs it, and renames it over the old one
 * (rename is atomic on POSIX), then fsyncs the directory so the rename itself
 * survives a power cut. A crash at any point leaves either the old profile or
 * the new one, never a mix. The file holds private keys: mode 0600, in a 0700
 * directory.
 *
 * One process at a time: see profile-lock.ts. A fenced put (`ifEpoch`,
 * shared/client/ownership.ts) is checked against this process's copy of the
 * owner record, in the same step as the write: that fences two clients in one
 * process; the profile lock keeps a second process out.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { checkEpoch, ClientError, OWNER_KEY, toJsonText, type ClientStore, type PutOptions } from '@envelope/client-core';

export const PROFILE_FILE = 'profile.json';
const FORMAT_VERSION = 1;

export class FileStore implements ClientStore {
  /** Values as JSON text, as on disk. */
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

  async get<T = unknown>(key: string): Promise<T | undefined> {
    const text = this.#data.get(key);
    return text === undefined ? undefined : (JSON.parse(text) as T);
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
    checkEpoch(options, this.#data.get(OWNER_KEY));
    const next = new Map(this.#data);
    for (const [key, value] of Object.entries(entries)) {
      if (value === undefined) next.delete(key);
      else next.set(key, toJsonText(key, value));
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
  if (profile?.v !== FORMAT_VERSION || typeof profile.entries !== 'object' || profile.entries === null) {
    throw new ClientError('STORE_CORRUPT', `${path} is not an Envelope profile (version ${FORMAT_VERSION})`);
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
