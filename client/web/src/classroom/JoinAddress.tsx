/** The address people in the room open to join, as text and as a QR code. */
import type { JoinInfo } from '@envelope/protocol';
import { QrCode } from '../ui/QrCode.js';

export function JoinAddress({ join }: { readonly join: JoinInfo | null }) {
  if (!join) return <aside className="join-address panel" aria-busy="true" />;
  const [first, ...others] = join.urls;
  return (
    <aside className="join-address panel" data-testid="join-address" aria-label="Join address">
      <div>
        <h2>Join from your own device</h2>
        <p>
          Open <strong className="mono join-url">{first}</strong>
        </p>
        {others.length > 0 && <p className="muted">Also: {others.join(', ')}</p>}
        {!join.network && (
          <p className="muted">Only this computer can open this address. To let the room join, restart the server with HOST=0.0.0.0.</p>
        )}
      </div>
      {first && <QrCode text={first} size={168} label={`QR code of the join address ${first}`} />}
    </aside>
  );
}
