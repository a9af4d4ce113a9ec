/** The legend under the encoded message in the X-ray: what each JSON field is, in plain words. */
import { encodedFieldLegend } from './xray-view.js';

export function EncodedFields({ encodedText }: { readonly encodedText: string }) {
  const fields = encodedFieldLegend(encodedText);
  if (fields.length === 0) return null;
  return (
    <dl className="legend xray-fields" data-testid="xray-fields">
      {fields.map(({ field, words }) => (
        <div key={field} data-field={field}>
          <dt className="mono">{field}</dt>
          <dd>{words}</dd>
        </div>
      ))}
    </dl>
  );
}
