/**
 * One command at a time per profile. Two processes writing the same profile
 * would each replace the other's session states, and a replaced ratchet state
 * cannot be recovered. The lock is a file created exclusively (O_EXCL) holding
 * the owner's pid; a lock whose process is gone is stale and taken over.
 * Behind it, the client core fences every write with the profile's owner
 * epoch (shared/client/ownership.ts), as it does for browser tabs.
 */
import { open, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

export const LOCK_FILE = 'profile.lock';
const POLL_MS = 100;
/** A lock file still empty after this long was left by a process that died while creating it. */
const HALF_WRITTEN_GRACE_MS = 2_000;

export class ProfileLockedError extends Error {
  override readonly name = 'ProfileLockedError';
  constructor(
    readonly directory: string,
    readonly ownerPid: number,
  ) {
    super(`the profile ${directory} is in use by another envelope command (pid ${ownerPid})`);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock, waiting up to `waitMs` for another command to finish. Returns the release function. */
export async function lockProfile(directory: string, waitMs: number): Promise<() => Promise<void>> {
  const path = join(directory, LOCK_FILE);
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const file = await open(path, 'wx', 0o600);
      await file.writeFile(String(process.pid));
      await file.close();
      return () => rm(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number((await readFile(path, 'utf8').catch(() => '')).trim());
    const known = Number.isInteger(owner) && owner > 0;
    if (known ? !alive(owner) : await olderThan(path, HALF_WRITTEN_GRACE_MS)) {
      // Its process died: take it over.
      await rm(path, { force: true });
      continue;
    }
    // (An empty lock file is being written by its owner right now: wait.)
    if (Date.now() >= deadline) throw new ProfileLockedError(directory, known ? owner : 0);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

async function olderThan(path: string, ms: number): Promise<boolean> {
  const info = await stat(path).catch(() => null);
  return info === null || Date.now() - info.mtimeMs > ms;
}
