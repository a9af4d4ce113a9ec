/**
 * GET /api/operator/signals as the page calls it: the operator token in the
 * Authorization header (never in the URL), and the answer parsed with the
 * shared schema before anything reads it. Errors are the operator API's.
 */
import { OperatorApiError } from '../operator-api.js';
import { SignalsResponseSchema, type SignalsResponse } from './schemas.js';

export async function fetchSignals(baseUrl: string, token: string, options: { rescan?: boolean } = {}): Promise<SignalsResponse> {
  let response: Response;
  try {
    response = await fetch(`${baseUrl}/api/operator/signals${options.rescan ? '?rescan=1' : ''}`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      cache: 'no-store',
    });
  } catch {
    throw new OperatorApiError('NETWORK', 'the server could not be reached');
  }
  if (response.status === 401) throw new OperatorApiError('UNAUTHORIZED', 'the server refused this operator token');
  if (!response.ok) throw new OperatorApiError(response.status >= 500 ? 'NETWORK' : 'BAD_RESPONSE', `the server answered ${response.status}`);
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new OperatorApiError('BAD_RESPONSE', 'the signals answer is not JSON');
  }
  const parsed = SignalsResponseSchema.safeParse(body);
  if (!parsed.success) throw new OperatorApiError('BAD_RESPONSE', 'the signals answer is outside the operator API contract');
  return parsed.data;
}
