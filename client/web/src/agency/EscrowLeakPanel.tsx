/**
 * "The escrow key leaks" (docs/lawful-access.md, key-escrow's first cost),
 * labelled as a demonstration of an attack: with two stolen shares, every
 * message anyone sent under key escrow opens, including all those sent
 * before the leak. Counts and a short sample come from the running server
 * (POST /api/agency/escrow/leak, written in the audit log as an attack).
 */
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { EscrowHolder } from '@envelope/protocol';
import { Explain } from '../ui/Explain.js';
import { EscrowMessageTable } from './EscrowMessageTable.js';
import { leakSummary, refusalText } from './escrow-text.js';
import { HandoverList, HolderChooser, useShareHandover } from './ShareHandover.js';
import { useAgencyApi } from './queries.js';
import { SOURCES } from '../ui/sources.js';
import { when } from './when.js';

/** Sample rows shown on a projector (the server sends up to MAX_ESCROW_LEAK_SAMPLE). */
const SAMPLE_SHOWN = 5;

export function EscrowLeakPanel() {
  const api = useAgencyApi();
  const client = useQueryClient();
  const [holders, setHolders] = useState<readonly EscrowHolder[]>(['court', 'provider']);
  const handover = useShareHandover();
  const leak = useMutation({
    mutationFn: async () => api.escrowLeak(await handover.collect(holders)),
    onSettled: () => void client.invalidateQueries({ queryKey: ['agency', 'audit'] }),
  });
  const data = leak.data;
  return (
    <section className="panel operator-section agency-attack" aria-labelledby="agency-leak-title" data-testid="agency-escrow-leak">
      <p className="agency-attack-label">Demonstration of an attack</p>
      <h2 id="agency-leak-title">The escrow key leaks</h2>
      <Explain title="Why this matters" source={SOURCES.doormats}>
        <p>
          End-to-end encryption forgets each message key once it is used, so a key stolen later cannot open earlier messages (forward secrecy).
          Key escrow keeps a copy of every key, sealed to one escrow key, and the server keeps every message. Whoever gets two shares, by theft, a
          bribe or a break-in, opens everything anyone ever sent under escrow, back to the oldest message the server still keeps.
        </p>
        <p>
          In 2015 a group of security researchers (Abelson, Anderson, Bellovin and others) argued in “Keys Under Doormats” that giving governments
          such exceptional access forces designers to give up forward secrecy, and makes one key a target worth stealing.
        </p>
      </Explain>
      <form
        className="agency-form escrow-leak-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (!leak.isPending) leak.mutate();
        }}
      >
        <HolderChooser legend="Whose share files are stolen" chosen={holders} onChange={setHolders} testId="escrow-leak-holders" />
        <button type="submit" className="danger" disabled={holders.length === 0} aria-disabled={leak.isPending} data-testid="escrow-leak-submit">
          {leak.isPending ? 'Opening everything…' : 'Leak the key and open everyone’s messages'}
        </button>
      </form>
      <HandoverList steps={handover.steps} testId="escrow-leak-handover" />
      {leak.error && (
        <p className="warning" role="alert" data-testid="escrow-leak-refused">
          {refusalText(leak.error, handover.steps.filter((step) => step.state === 'done').length)}
        </p>
      )}
      {data && (
        <>
          <p role="status" className="escrow-leak-count" data-testid="escrow-leak-summary">
            {leakSummary(data)}
          </p>
          {data.oldestStoredAt !== null && <p data-testid="escrow-leak-oldest">The oldest one it opened reached the server {when(data.oldestStoredAt)}.</p>}
          {data.sample.length > 0 && (
            <>
              <h3 className="escrow-sample-title">A few of the texts it opened</h3>
              <EscrowMessageTable messages={data.sample.slice(0, SAMPLE_SHOWN)} caption="A sample of the messages the leaked key opened" testId="escrow-leak-sample" />
            </>
          )}
        </>
      )}
    </section>
  );
}
