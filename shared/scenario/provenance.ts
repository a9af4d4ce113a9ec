/** How a default is labelled: `sourced` (a published figure, named in our words, with how far it was checked) or `assumed` (ours, with the reason). */

export type Provenance =
  | { readonly provenance: 'sourced'; readonly source: string; readonly status: 'stated directly' | 'via press' | 'computed from sourced figures' }
  | { readonly provenance: 'assumed'; readonly reason: string };

export type ParameterInfo = Provenance & { readonly description: string };

export const assumed = (description: string, reason: string): ParameterInfo => ({ provenance: 'assumed', description, reason });
export const sourced = (description: string, source: string, status: 'stated directly' | 'via press' | 'computed from sourced figures'): ParameterInfo => ({
  provenance: 'sourced',
  description,
  source,
  status,
});
