/**
 * The agency page's data on TanStack Query, as the operator page's sections:
 * the API (with the token the page opened with) comes from a context, lists
 * poll so the queue fills on screen as messages arrive, and a refused token
 * anywhere sends the page back to asking for one.
 */
import { createContext, useContext } from 'react';
import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { AgencyApiError, type AgencyApi } from './agency-api.js';

/** How often the warrants, the queue and the audit log are fetched again while shown: "live" on a projector. */
export const POLL_MS = 2_000;
/** The policy mode changes rarely (the operator switches it). */
export const POLICY_POLL_MS = 5_000;

export function createAgencyQueryClient(onRefused: () => void): QueryClient {
  const refused = (error: unknown) => {
    if (error instanceof AgencyApiError && error.code === 'UNAUTHORIZED') onRefused();
  };
  return new QueryClient({
    queryCache: new QueryCache({ onError: refused }),
    // An action (an escrow opening, a warrant) refused for its token locks the page too.
    mutationCache: new MutationCache({ onError: refused }),
    defaultOptions: {
      queries: {
        retry: (failures, error) => error instanceof AgencyApiError && error.code === 'NETWORK' && failures < 2,
        refetchOnWindowFocus: false,
      },
    },
  });
}

export const AgencyApiContext = createContext<AgencyApi | null>(null);

export function useAgencyApi(): AgencyApi {
  const api = useContext(AgencyApiContext);
  if (!api) throw new Error('an agency section is shown outside an opened agency page');
  return api;
}
