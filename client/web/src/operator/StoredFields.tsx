/** Every table and column in the server's database, as the server itself describes them (GET /api/operator/schema). */
import type { OperatorStoredSchema } from './schemas.js';

export function StoredFields({ stored }: { stored: OperatorStoredSchema | null }) {
  if (!stored) return <p className="operator-muted">Loading…</p>;
  return (
    <div className="operator-stored-tables" data-testid="operator-schema">
      {stored.tables.map((table) => (
        <section key={table.name} className="operator-stored-table">
          <h3>
            <code>{table.name}</code>
          </h3>
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
