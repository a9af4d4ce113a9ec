/**
 * The scenario's parameters: the run, the privacy features, prevalence, and (folded) every other
 * labelled default. Each field says its default and where that default comes from (sourced, with
 * its source and how far it was checked, or assumed, with the reason), and its error, if any,
 * in words beside it.
 */
import { useEffect, useRef } from 'react';
import type { ParameterInfo } from '@envelope/scenario';
import { formatDefault, MAIN_GROUPS, parameterGroups, parameterInfo, parameterLabel, type FieldError, type FormValues, type ParameterGroup, type ParameterKey } from './parameter-form.js';

interface Props {
  readonly values: FormValues;
  readonly errors: readonly FieldError[];
  readonly disabled: boolean;
  readonly onChange: (key: ParameterKey, value: string) => void;
}

function Provenance({ info }: { info: ParameterInfo }) {
  return info.provenance === 'sourced' ? (
    <span>
      <strong className="scenario-sourced">Sourced</strong> ({info.status}): {info.source}
    </span>
  ) : (
    <span>
      <strong className="scenario-assumed">Assumed</strong>: {info.reason}
    </span>
  );
}

function Field({ name, props }: { name: ParameterKey; props: Props }) {
  const id = `scenario-param-${name}`;
  const info = parameterInfo(name);
  const error = props.errors.find((e) => e.key === name);
  const describedBy = `${id}-help${error ? ` ${id}-error` : ''}`;
  const value = props.values[name];
  const common = { id, disabled: props.disabled, 'aria-describedby': describedBy, 'aria-invalid': error ? true : undefined } as const;
  let control;
  if (name === 'padding') {
    control = <input {...common} type="checkbox" checked={value === 'true'} onChange={(e) => props.onChange(name, String(e.target.checked))} />;
  } else if (name === 'discoverability') {
    control = (
      <select {...common} value={value} onChange={(e) => props.onChange(name, e.target.value)}>
        <option value="anyone">anyone: a stranger can find and message any account</option>
        <option value="contacts-only">contacts-only: only people who know your number or name</option>
      </select>
    );
  } else {
    control = <input {...common} type="text" inputMode="decimal" autoComplete="off" spellCheck={false} value={value} onChange={(e) => props.onChange(name, e.target.value)} />;
  }
  return (
    <div className={`scenario-field${error ? ' scenario-field-invalid' : ''}`} data-testid={`param-${name}`}>
      <div className="scenario-field-control">
        <label htmlFor={id}>{parameterLabel(name)}</label>
        {control}
      </div>
      {error && (
        <p className="scenario-field-error" id={`${id}-error`}>
          {error.message}
        </p>
      )}
      <p className="scenario-field-help" id={`${id}-help`}>
        {info.description} <span className="scenario-default">Default: {formatDefault(name)}.</span> <Provenance info={info} />
      </p>
    </div>
  );
}

function Group({ group, props }: { group: ParameterGroup; props: Props }) {
  return (
    <fieldset className="scenario-group" data-testid={`group-${group.id}`}>
      <legend>{group.title}</legend>
      {group.keys.map((key) => (
        <Field key={key} name={key} props={props} />
      ))}
    </fieldset>
  );
}

export function ParameterForm(props: Props) {
  const groups = parameterGroups();
  const folded = groups.filter((g) => !MAIN_GROUPS.has(g.id));
  const foldedHasError = props.errors.some((e) => folded.some((g) => g.keys.includes(e.key)));
  const more = useRef<HTMLDetailsElement>(null);
  // Opened when one of its fields has an error, so the message is never hidden; otherwise the reader opens and closes it.
  useEffect(() => {
    if (foldedHasError && more.current) more.current.open = true;
  }, [foldedHasError]);
  return (
    <div className="scenario-form">
      {groups
        .filter((g) => MAIN_GROUPS.has(g.id))
        .map((g) => (
          <Group key={g.id} group={g} props={props} />
        ))}
      <details className="scenario-more" ref={more}>
        <summary>All other parameters ({folded.reduce((a, g) => a + g.keys.length, 0)}), each with its default and source</summary>
        {folded.map((g) => (
          <Group key={g.id} group={g} props={props} />
        ))}
      </details>
    </div>
  );
}
