import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCK_FILE, lockProfile, ProfileLockedError } from './profile-lock.js';

const tempDir = () => mkdtemp(join(tmpdir(), 'envelope-lock-'));

describe('profile lock', () => {
  it('lets one command at a time use a profile; the next one waits, then is refused', async () => {
    const dir = await tempDir();
    const release = await lockProfile(dir, 0);
    const started = Date.now();
    await expect(lockProfile(dir, 300)).rejects.toBeInstanceOf(ProfileLockedError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    await release();
    const again = await lockProfile(dir, 0);
    await again();
  });

  it('a waiting command gets the lock as soon as the holder releases it', async () => {
    const dir = await tempDir();
    const release = await lockProfile(dir, 0);
    setTimeout(() => void release(), 150);
    const second = await lockProfile(dir, 2_000);
    await second();
  });

  it('takes over a lock left by a process that no longer runs', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, LOCK_FILE), '2147483646'); // no such pid
    const release = await lockProfile(dir, 0);
    await release();
  });
});
