/**
 * Every table and column in the server's database, as the server itself
 * describes them (GET /api/operator/schema). `cost` marks the table the mode
 * in force fills (key escrow's escrow_retained), with a line saying so.
 */
import type { OperatorStoredSchema } from './schemas.js';

export interface StoredCost {
  readonly table: string;
  readonly label: string;
}

export function StoredFields({ stored, cost = null }: { stored: OperatorStoredSchema | null; cost?: StoredCost | null }) {
  if (!stored) return <p className="operator-muted">Loading…</p>;
  return (
    <div className="operator-stored-tables" data-testid="operator-schema">
      {stored.tables.map((table) => (
        <section
          key={table.name}
          className={`operator-stored-table ${cost?.table === table.name ? 'is-cost' : ''}`}
          data-testid={cost?.table === table.name ? 'operator-schema-cost' : undefined}
        >
          <h3>
            <code>{table.name}</code>
          </h3>
          {cost?.table === table.name && <p className="operator-stored-cost">{cost.label}</p>}
          {table.about && <p className="operator-muted">{table.about}</p>}
          <dl>
            {table.columns.map((column) => (
              <div key={column.name} className="operator-column">
                <dt>
                  <code>{column.name}</code> <span className="operator-muted">{column.type.toLowerCase() || 'any'}</span>
                </dt>
                <dd>{column.description ?? <span className="operator-muted">(no description)</span>}</dd>
              </div>
            ))}
          </dl>
        </section>
      ))}
    </div>
  );
}
