/**
 * The operator page's data layer for its sections (accounts, reports, signals,
 * warrant), on TanStack Query: fetching, polling, retrying, dropping an old
 * token's answers and turning a failure into words happen here once; a
 * section only says what it loads (sections.ts). The live stream, the feed
 * and the graph are the page model's (operator-model.ts), which owns the
 * client made here: a refused token anywhere sends the whole page back to the
 * token request, and locking empties the cache.
 */
import { createContext, useContext } from 'react';
import { QueryCache, QueryClient, queryOptions, useQuery, type QueryObserverResult } from '@tanstack/react-query';
import { failureText, type Loads } from './failure-text.js';
import { OperatorApiError, type OperatorApi } from './operator-api.js';

/**
 * Tries after "the server could not be reached" (TanStack waits 1 s, then 2 s):
 * a server restarting in front of a class is back within that. Other failures
 * are answers, and asking again would get the same one.
 */
export const NETWORK_RETRIES = 2;

/** What one section loads. */
export interface SectionSpec<T> {
  /** Names the answer in the cache (with its parameters, such as the account). */
  readonly key: readonly (string | number)[];
  readonly load: (api: OperatorApi) => Promise<T>;
  readonly loads: Loads;
  /** Fetched again this often while shown: for what changes without passing on the live stream. */
  readonly pollMs?: number;
}

/** What a section view renders. */
export interface SectionState<T> {
  /** The last answer (kept on screen while a newer one loads, and after a failed poll). */
  readonly data: T | null;
  /** A request is running (Refresh shows "Refreshing…"). */
  readonly loading: boolean;
  /** Why the last request failed, in words; null once one succeeds. */
  readonly error: string | null;
  /** When the last request ended, answer or failure (on the page's clock). */
  readonly settledAt: number;
}

function refused(error: unknown): boolean {
  return error instanceof OperatorApiError && error.code === 'UNAUTHORIZED';
}

/** The page's query client: `onRefused` runs when the server refuses the token to a section still shown. */
export function createOperatorQueryClient(onRefused: () => void): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      onError: (error, query) => {
        // A request of a token already dropped (the cache was cleared since) says nothing about the current one.
        if (refused(error) && client.getQueryCache().get(query.queryHash) === query) onRefused();
      },
    }),
    defaultOptions: {
      queries: {
        retry: (failures, error) => error instanceof OperatorApiError && error.code === 'NETWORK' && failures < NETWORK_RETRIES,
        // An answer on a projector should change when the server's data does, not when someone clicks back into the window.
        refetchOnWindowFocus: false,
      },
    },
  });
  return client;
}

export function sectionQuery<T>(api: OperatorApi, spec: SectionSpec<T>) {
  return queryOptions({
    queryKey: ['operator', ...spec.key],
    queryFn: () => spec.load(api),
    refetchInterval: spec.pollMs ?? false,
  });
}

/** A query's state as the section shows it. */
export function sectionState<T>(result: QueryObserverResult<T>, spec: SectionSpec<T>): SectionState<T> {
  return {
    data: result.data ?? null,
    loading: result.isFetching,
    error: result.error ? failureText(result.error, spec.loads) : null,
    settledAt: Math.max(result.dataUpdatedAt, result.errorUpdatedAt),
  };
}

/** The token the page opened with, as an API; sections render only inside it. */
export const OperatorApiContext = createContext<OperatorApi | null>(null);

export function useSection<T>(spec: SectionSpec<T>, enabled = true): SectionState<T> & { readonly refresh: () => void } {
  const api = useContext(OperatorApiContext);
  if (!api) throw new Error('an operator section is shown outside an opened operator page');
  const result = useQuery({ ...sectionQuery(api, spec), enabled });
  // A Refresh during a running request waits for it instead of cancelling it.
  return { ...sectionState(result, spec), refresh: () => void result.refetch({ cancelRefetch: false }) };
}
