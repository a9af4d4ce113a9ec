/**
 * The scenario, at /scenario: set the parameters, run @envelope/scenario in this browser (a Web
 * Worker, so no server is loaded by anyone's run), follow its progress, cancel it, read the
 * figures, recompute precision at another prevalence, and download result.json (the bytes the
 * CLI writes for the same parameters). docs/scenario.md describes the model.
 */
import { useEffect, useState } from 'react';
import { DEFAULTS } from '@envelope/scenario';
import { Explain } from '../ui/Explain.js';
import { LargeTextToggle } from '../ui/LargeTextToggle.js';
import { useObservable } from '../ui/observable.js';
import { PresentationToggle } from '../ui/PresentationToggle.js';
import { usePresentationMode } from '../ui/presentation-mode.js';
import { defaultValues, parameterLabel, parseForm, type FieldError, type FormValues, type ParameterKey } from './parameter-form.js';
import type { ScenarioResult } from '@envelope/scenario';
import { Charts } from './Charts.js';
import { ParameterForm } from './ParameterForm.js';
import { PrevalenceSlider } from './PrevalenceSlider.js';
import { CostTable, Headline, PerHarmTables, WorkloadTable } from './ResultTables.js';
import { RunProgress } from './RunProgress.js';
import { TornadoSection } from './TornadoSection.js';
import { ScenarioRunModel } from './run-model.js';
import './scenario.css';

let model: ScenarioRunModel | null = null;
const runModel = (): ScenarioRunModel => (model ??= new ScenarioRunModel());

/** The browser reads the file from its blob: address after the click returns; freed a minute later, long after it has. */
const DOWNLOAD_URL_LIFETIME_MS = 60_000;

/** Offers text as a file the browser saves (no server involved). */
function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), DOWNLOAD_URL_LIFETIME_MS);
}

/** What the figures on the page were run with, since the form may have changed since: the size, the seed, and every other parameter not at its default. */
function ranWith(result: ScenarioResult): string {
  const p = result.parameters;
  const changed = Object.entries(p)
    .filter(([key, v]) => !v.isDefault && key !== 'users' && key !== 'days' && key !== 'seed')
    .map(([key, v]) => `${parameterLabel(key as ParameterKey)} ${typeof v.value === 'boolean' ? (v.value ? 'on' : 'off') : String(v.value)}`);
  const size = `${Number(p.users?.value).toLocaleString('en-GB')} accounts, ${String(p.days?.value)} days, seed ${String(p.seed?.value)}`;
  return changed.length === 0 ? `${size}; every other parameter at its default.` : `${size}; changed from the defaults: ${changed.join('; ')}.`;
}

export default function ScenarioPage() {
  const run = runModel();
  const state = useObservable(run.state);
  const [values, setValues] = useState<FormValues>(defaultValues);
  const [errors, setErrors] = useState<readonly FieldError[]>([]);
  usePresentationMode();
  useEffect(() => {
    document.title = 'Envelope: the scenario';
  }, []);

  const running = state.kind === 'running';
  const change = (key: ParameterKey, value: string) => {
    setValues((v) => ({ ...v, [key]: value }));
    // An error stays until the field changes: then it is checked again when Run is pressed.
    setErrors((e) => e.filter((x) => x.key !== key));
  };
  const start = () => {
    const parsed = parseForm(values);
    if (!parsed.ok) {
      setErrors(parsed.errors);
      return;
    }
    setErrors([]);
    run.run(parsed.parameters, parsed.overrides);
  };
  const done = state.kind === 'done' ? state : null;

  return (
    <div className="scenario-page" data-testid="scenario-page">
      <a className="skip-link" href="#scenario-main">
        Skip to the scenario
      </a>
      <header className="page-header">
        <div>
          <h1>The scenario: what each method catches, and at what cost</h1>
          <p className="scenario-subtitle">A synthetic population, run in this browser, with every detection method scored on the same traffic.</p>
        </div>
        <nav className="scenario-header-actions" aria-label="Page actions">
          <a className="button-link secondary" href="/">
            The classroom
          </a>
          <LargeTextToggle />
          <PresentationToggle />
        </nav>
      </header>

      <main id="scenario-main" tabIndex={-1} className="scenario-main">
        <Explain title="What is this?">
          <p>
            The computer makes up a population of accounts (ordinary people, and a few groomers, a sextortion ring, spam bots, drug sellers and traders
            of abuse images), has them message each other for some days, and hands the server’s own detectors exactly what the server would see. It
            then scores five ways of finding the offenders against who really did what: metadata signals, user reports, client-side scanning, full
            content access, and targeted access after suspicion.
          </p>
          <p>
            It all runs in this browser tab: nothing is sent to the Envelope server. The same settings and seed give the same figures, to the byte, as{' '}
            <code>npm run scenario</code> on a computer. Every default says whether it comes from a published source or is our assumption.
          </p>
        </Explain>

        <form
          className="panel scenario-section"
          aria-labelledby="scenario-parameters-title"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            start();
          }}
        >
          <h2 id="scenario-parameters-title">Parameters</h2>
          {errors.length > 0 && (
            <div className="warning" role="alert" data-testid="scenario-errors">
              <p>Nothing was run. Please correct:</p>
              <ul>
                {errors.map((e) => (
                  <li key={e.key}>
                    <a href={`#scenario-param-${e.key}`}>{e.message}</a>
                  </li>
                ))}
              </ul>
            </div>
          )}
          <ParameterForm values={values} errors={errors} disabled={running} onChange={change} />
          <div className="scenario-actions">
            <button type="submit" disabled={running} data-testid="scenario-run">
              Run the scenario
            </button>
            <button
              type="button"
              className="secondary"
              disabled={running}
              onClick={() => {
                setValues(defaultValues());
                setErrors([]);
              }}
            >
              Back to the defaults
            </button>
            <span className="muted">
              The defaults ({DEFAULTS.users.toLocaleString('en-GB')} accounts, {DEFAULTS.days} days) take from half a minute to over a minute, as busy as the
              computer is; 2,000 accounts for 7 days, a few seconds.
            </span>
          </div>
        </form>

        <section className="panel scenario-section" aria-labelledby="scenario-run-title">
          <h2 id="scenario-run-title">The run</h2>
          <RunProgress state={state} onCancel={() => run.cancel()} />
          {done && (
            <div className="scenario-actions">
              <button
                type="button"
                data-testid="download-briefing"
                // The briefing holds the charts: when they cannot be drawn here (said under "The charts"), neither can it.
                disabled={done.briefing.kind === 'writing' || done.charts.kind === 'failed'}
                onClick={() => run.writeBriefing((html) => download('briefing.html', html, 'text/html'))}
              >
                {done.briefing.kind === 'writing' ? 'Writing the briefing…' : 'Download the briefing'}
              </button>
              <button type="button" className="secondary" data-testid="download-json" onClick={() => download('result.json', done.json, 'application/json')}>
                Download result.json
              </button>
              <span className="muted">The briefing is one HTML file: charts, a one-page summary, tables and every source; it opens offline and prints.</span>
            </div>
          )}
          {done?.briefing.kind === 'failed' && <p className="warning">{done.briefing.message}</p>}
          {done && (
            <p data-testid="scenario-ran-with">
              <strong>The figures below are for:</strong> {ranWith(done.result)}
            </p>
          )}
        </section>

        {done && (
          <>
            <section className="panel scenario-section" aria-labelledby="scenario-headline-title" data-testid="scenario-results">
              <h2 id="scenario-headline-title">The headline: what is still found without reading messages</h2>
              <Headline result={done.result} />
            </section>
            <section className="panel scenario-section" aria-labelledby="scenario-charts-title">
              <h2 id="scenario-charts-title">The charts (as in the briefing)</h2>
              <Charts charts={done.charts} />
            </section>
            <section className="panel scenario-section" aria-labelledby="scenario-tornado-title">
              <h2 id="scenario-tornado-title">Which assumptions move the headline most</h2>
              <TornadoSection result={done.result} state={done.tornado} onStart={() => run.computeTornado()} onCancel={() => run.cancelTornado()} />
            </section>
            <section className="panel scenario-section" aria-labelledby="scenario-harms-title">
              <h2 id="scenario-harms-title">Per method and harm</h2>
              <PerHarmTables result={done.result} />
            </section>
            <section className="panel scenario-section" aria-labelledby="scenario-prevalence-title">
              <h2 id="scenario-prevalence-title">If offenders were more or less common</h2>
              <PrevalenceSlider result={done.result} />
            </section>
            <section className="panel scenario-section" aria-labelledby="scenario-cost-title">
              <h2 id="scenario-cost-title">The cost to everyone else</h2>
              <CostTable result={done.result} />
            </section>
            <section className="panel scenario-section" aria-labelledby="scenario-workload-title">
              <h2 id="scenario-workload-title">Reviewers’ work, and at the scale of a country</h2>
              <WorkloadTable result={done.result} />
            </section>
          </>
        )}
      </main>
    </div>
  );
}
