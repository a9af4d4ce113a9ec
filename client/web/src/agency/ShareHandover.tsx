/**
 * The holders bringing their shares, visibly: a choice of holders, and the
 * list that fills as each share is fetched ("The court hands over its
 * share"). In this demo the shares come from the demo-only route that reads
 * the share files on the server's machine; in reality each holder brings its
 * own.
 */
import { useCallback, useId, useState } from 'react';
import { ESCROW_HOLDERS, type EscrowHolder, type EscrowShare } from '@envelope/protocol';
import { HOLDER_WORDS } from './escrow-text.js';
import { useAgencyApi } from './queries.js';

export interface HandoverStep {
  readonly holder: EscrowHolder;
  readonly state: 'asking' | 'done' | 'failed';
}

/** Fetches the chosen holders' shares one after the other, keeping each step on screen. */
export function useShareHandover(): { readonly steps: readonly HandoverStep[]; readonly collect: (holders: readonly EscrowHolder[]) => Promise<EscrowShare[]> } {
  const api = useAgencyApi();
  const [steps, setSteps] = useState<readonly HandoverStep[]>([]);
  const collect = useCallback(
    async (holders: readonly EscrowHolder[]) => {
      const shares: EscrowShare[] = [];
      setSteps([]);
      for (const holder of holders) {
        setSteps((shown) => [...shown, { holder, state: 'asking' }]);
        const mark = (state: HandoverStep['state']) => setSteps((shown) => shown.map((step) => (step.holder === holder ? { holder, state } : step)));
        try {
          shares.push(await api.escrowShare(holder));
        } catch (error) {
          mark('failed');
          throw error;
        }
        mark('done');
      }
      return shares;
    },
    [api],
  );
  return { steps, collect };
}

export function HolderChooser({
  legend,
  chosen,
  onChange,
  testId,
}: {
  readonly legend: string;
  readonly chosen: readonly EscrowHolder[];
  readonly onChange: (holders: readonly EscrowHolder[]) => void;
  readonly testId: string;
}) {
  const name = useId();
  const toggle = (holder: EscrowHolder, on: boolean) => onChange(ESCROW_HOLDERS.filter((h) => (h === holder ? on : chosen.includes(h))));
  return (
    <fieldset className="escrow-holder-choice" data-testid={testId}>
      <legend>{legend}</legend>
      {ESCROW_HOLDERS.map((holder) => (
        <label key={holder}>
          <input type="checkbox" name={name} value={holder} checked={chosen.includes(holder)} onChange={(e) => toggle(holder, e.target.checked)} />{' '}
          {HOLDER_WORDS[holder].name}
        </label>
      ))}
    </fieldset>
  );
}

const STATE_WORDS: Record<HandoverStep['state'], string> = { asking: '…', done: ': received.', failed: ': it could not be fetched.' };

export function HandoverList({ steps, testId }: { readonly steps: readonly HandoverStep[]; readonly testId: string }) {
  if (steps.length === 0) return null;
  return (
    <ol className="escrow-handover" data-testid={testId} aria-live="polite">
      {steps.map((step) => (
        <li key={step.holder} data-holder={step.holder} data-state={step.state}>
          {HOLDER_WORDS[step.holder].handsOver}
          {STATE_WORDS[step.state]}
        </li>
      ))}
    </ol>
  );
}
