/**
 * The seen-set: ids of envelopes already handled, so a repeat (delivery is at
 * least once) is acked and dropped instead of shown twice. A repeat can only
 * come from the window between our store and the server receiving our ack, so
 * the set is bounded: past MAX_SEEN_IDS, the oldest ids are forgotten.
 */
import type { ClientStore } from './store.js';
import { SeenKind } from './record-schemas.js';
import { readRecord } from './store-records.js';
import { keys } from './store-keys.js';

export const MAX_SEEN_IDS = 5_000;
/** Prune only once this many over the bound, so pruning is rare work. */
const PRUNE_SLACK = 500;

export async function pruneSeen(store: ClientStore, max = MAX_SEEN_IDS): Promise<number> {
  const ids = await store.list(keys.seenPrefix);
  if (ids.length <= max + (max === MAX_SEEN_IDS ? PRUNE_SLACK : 0)) return 0;
  const dated: [string, number][] = [];
  for (const key of ids) dated.push([key, (await readRecord(store, SeenKind, key)) ?? 0]);
  dated.sort((a, b) => a[1] - b[1]);
  const forget = dated.slice(0, dated.length - max);
  await store.put(Object.fromEntries(forget.map(([key]) => [key, undefined])));
  return forget.length;
}
