/**
 * The warrant section's view model: which account is picked, the request for
 * its answer, and the exported document. The token comes from the operator
 * page once the server has accepted it; views call the actions and render the
 * snapshot, and never fetch.
 */
import { Observable, type Readable } from '../../ui/observable.js';
import { OperatorApi, OperatorApiError } from '../operator-api.js';
import type { WarrantAnswer } from './schemas.js';
import { warrantDocument, warrantFileName } from './warrant-document.js';

export type WarrantRequest =
  | { readonly status: 'idle' }
  | { readonly status: 'loading'; readonly username: string }
  | { readonly status: 'ready'; readonly username: string; readonly answer: WarrantAnswer }
  | { readonly status: 'failed'; readonly username: string; readonly message: string };

export interface WarrantSnapshot {
  /** The account picked in the list (requested only when asked). */
  readonly selected: string | null;
  readonly request: WarrantRequest;
}

export interface WarrantExport {
  readonly fileName: string;
  readonly html: string;
}

const INITIAL: WarrantSnapshot = { selected: null, request: { status: 'idle' } };

export class WarrantModel {
  readonly #state = new Observable<WarrantSnapshot>(INITIAL);
  readonly state: Readable<WarrantSnapshot> = this.#state;
  readonly #baseUrl: string;
  #token: string | null = null;
  /** Bumped on every request and token change, so a late answer never replaces a newer one. */
  #generation = 0;

  constructor(options: { baseUrl?: string } = {}) {
    this.#baseUrl = options.baseUrl ?? '';
  }

  get snapshot(): WarrantSnapshot {
    return this.#state.get();
  }

  /** The operator token the page holds (null when it is locked): a new token drops what the old one fetched. */
  useToken(token: string | null): void {
    if (token === this.#token) return;
    this.#token = token;
    this.#generation++;
    this.#state.set(INITIAL);
  }

  select(username: string | null): void {
    this.#state.update((current) => ({ ...current, selected: username }));
  }

  /** Asks the server for everything it holds about the selected account. */
  async request(): Promise<void> {
    const username = this.snapshot.selected;
    const token = this.#token;
    if (!username || !token) return;
    const generation = ++this.#generation;
    this.#setRequest({ status: 'loading', username });
    try {
      const answer = await new OperatorApi(this.#baseUrl, token).warrant(username);
      if (generation === this.#generation) this.#setRequest({ status: 'ready', username, answer });
    } catch (error) {
      if (generation === this.#generation) this.#setRequest({ status: 'failed', username, message: failureText(error, username) });
    }
  }

  /** The answer shown, as a document to save (null before an answer is in). */
  exportDocument(): WarrantExport | null {
    const { request } = this.snapshot;
    if (request.status !== 'ready') return null;
    return { fileName: warrantFileName(request.answer), html: warrantDocument(request.answer) };
  }

  #setRequest(request: WarrantRequest): void {
    this.#state.update((current) => ({ ...current, request }));
  }
}

function failureText(error: unknown, username: string): string {
  if (!(error instanceof OperatorApiError)) return 'The answer could not be loaded.';
  switch (error.code) {
    case 'NOT_FOUND':
      return `The server has no account called “${username}”.`;
    case 'UNAUTHORIZED':
      return 'The server refused the operator token. Lock the page and open it again with the start-up link.';
    case 'NETWORK':
      return 'The server could not be reached. Try again.';
    case 'BAD_RESPONSE':
      return 'The server’s answer did not match what this page expects.';
  }
}
