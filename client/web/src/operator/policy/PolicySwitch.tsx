/**
 * The policy switch on the operator page: every mode with its plain words
 * (one radio each, the current one checked), and "Change the mode…", which
 * opens a confirmation saying what changes for whom, with the demo's caveat.
 * The counts in it are asked from the server when it opens. To key escrow,
 * the confirmation also asks the check's width (16 bits as in Clipper, or 64).
 * When the dialog closes, focus goes back to the control that opened it, or,
 * after a switch (that button is then disabled), to the mode now in force.
 */
import { useEffect, useId, useRef, useState } from 'react';
import {
  DEFAULT_ESCROW_CHECK_BITS,
  isPolicyMode,
  POLICY_DEMO_CAVEAT,
  POLICY_MODES,
  POLICY_WORDS,
  type EscrowCheckBits,
  type PolicyAnnouncement,
  type PolicyExposure,
  type PolicyMode,
} from '@envelope/protocol';
import { Dialog } from '../../ui/Dialog.js';
import { CHECK_WIDTH_CHOICES, switchConsequences } from './switch-text.js';
import './policy.css';

export interface PolicySwitchProps {
  readonly policy: PolicyAnnouncement | null;
  /** Asks the server for its announcement now (for the counts in the confirmation); null if it could not. */
  readonly onRefresh: () => Promise<PolicyAnnouncement | null>;
  /** Switches; resolves to why it failed, in words, or null. */
  readonly onSwitch: (mode: PolicyMode, checkBits?: EscrowCheckBits) => Promise<string | null>;
}

type Confirming = { readonly to: PolicyMode; readonly from: string | null; readonly exposure: PolicyExposure | null; readonly asking: boolean };

export function PolicySwitch({ policy, onRefresh, onSwitch }: PolicySwitchProps) {
  const current = policy?.mode ?? null;
  const [chosen, setChosen] = useState<PolicyMode | null>(null);
  const [confirming, setConfirming] = useState<Confirming | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const listRef = useRef<HTMLFieldSetElement>(null);
  const openerRef = useRef<HTMLButtonElement>(null);
  const name = useId();
  const selected = chosen ?? (current !== null && isPolicyMode(current) ? current : null);
  const canChange = selected !== null && selected !== current && !busy;

  // After the dialog has gone (and the browser put focus back where it was): to the button that opened it, or,
  // when that is disabled (the switch happened), to the mode list, on the mode checked now.
  const [returnFocus, setReturnFocus] = useState(false);
  useEffect(() => {
    if (!returnFocus) return;
    setReturnFocus(false);
    const opener = openerRef.current;
    if (opener && !opener.disabled) opener.focus();
    else listRef.current?.querySelector<HTMLInputElement>('input:checked')?.focus();
  }, [returnFocus]);
  const close = () => {
    setConfirming(null);
    setReturnFocus(true);
  };
  const open = async () => {
    if (!canChange || selected === null) return;
    setError(null);
    setConfirming({ to: selected, from: current, exposure: policy?.exposure ?? null, asking: true });
    const fresh = await onRefresh();
    setConfirming((shown) => (shown && shown.to === selected ? { ...shown, exposure: fresh?.exposure ?? shown.exposure, asking: false } : shown));
  };
  const confirm = async (to: PolicyMode, checkBits: EscrowCheckBits | undefined) => {
    setBusy(true);
    const failed = await onSwitch(to, checkBits);
    setBusy(false);
    setError(failed);
    if (failed === null) setChosen(null);
    close();
  };

  return (
    <div className="policy-switch" data-testid="policy-switch">
      <fieldset ref={listRef} className="policy-modes" aria-describedby={`${name}-caveat`}>
        <legend>Policy mode: what the server may read</legend>
        {POLICY_MODES.map((mode) => (
          <label key={mode} className={`policy-mode ${mode === current ? 'is-current' : ''}`} data-testid={`policy-mode-${mode}`}>
            <input type="radio" name={name} value={mode} checked={selected === mode} onChange={() => setChosen(mode)} />
            <span className="policy-mode-words">
              <strong>{POLICY_WORDS[mode].name}</strong>
              {mode === current && <span className="policy-mode-now"> (in force now)</span>}
              <br />
              {POLICY_WORDS[mode].banner}
            </span>
          </label>
        ))}
      </fieldset>
      <p className="row">
        <button ref={openerRef} type="button" onClick={() => void open()} disabled={!canChange} data-testid="policy-change">
          {selected !== null && selected !== current ? `Switch to ${POLICY_WORDS[selected].name.toLowerCase()}…` : 'Change the mode…'}
        </button>
      </p>
      {/* While the mode is not e2ee the banner above says it already; the dialog always does. */}
      <p className={`policy-caveat ${current !== null && current !== 'e2ee' ? 'visually-hidden' : ''}`} id={`${name}-caveat`}>
        {POLICY_DEMO_CAVEAT}
      </p>
      {error && (
        <p className="warning" role="alert" data-testid="policy-switch-error">
          {error}
        </p>
      )}
      {confirming && (
        <ConfirmDialog
          confirming={confirming}
          busy={busy}
          initialCheckBits={policy?.escrow?.checkBits ?? DEFAULT_ESCROW_CHECK_BITS}
          onCancel={close}
          onConfirm={(checkBits) => void confirm(confirming.to, checkBits)}
        />
      )}
    </div>
  );
}

interface ConfirmDialogProps {
  readonly confirming: Confirming;
  readonly busy: boolean;
  readonly initialCheckBits: EscrowCheckBits;
  readonly onCancel: () => void;
  /** `checkBits` with key-escrow only. */
  readonly onConfirm: (checkBits: EscrowCheckBits | undefined) => void;
}

function ConfirmDialog({ confirming, busy, initialCheckBits, onCancel, onConfirm }: ConfirmDialogProps) {
  const text = switchConsequences(confirming.to, confirming.exposure, confirming.from);
  const [checkBits, setCheckBits] = useState<EscrowCheckBits>(initialCheckBits);
  const widthName = useId();
  const escrow = confirming.to === 'key-escrow';
  return (
    <Dialog title={text.title} onClose={onCancel} testId="policy-confirm">
      {confirming.asking && confirming.to === 'e2ee' ? (
        <p className="muted">Asking the server how many messages it already read…</p>
      ) : (
        text.paragraphs.map((paragraph, index) => (
          <p key={paragraph} className={index === 0 ? 'policy-confirm-lead' : undefined}>
            {paragraph}
          </p>
        ))
      )}
      {escrow && (
        <fieldset className="policy-check-width" data-testid="policy-check-width">
          <legend>How wide is the check each app verifies?</legend>
          {CHECK_WIDTH_CHOICES.map((choice) => (
            <label key={choice.bits} className="policy-mode">
              <input type="radio" name={widthName} value={choice.bits} checked={checkBits === choice.bits} onChange={() => setCheckBits(choice.bits)} />
              <span className="policy-mode-words">
                <strong>{choice.label}</strong>
                <br />
                {choice.meaning}
              </span>
            </label>
          ))}
        </fieldset>
      )}
      <p className="policy-caveat">{POLICY_DEMO_CAVEAT}</p>
      <p className="row dialog-actions">
        <button type="button" className={confirming.to === 'e2ee' ? undefined : 'danger'} onClick={() => onConfirm(escrow ? checkBits : undefined)} disabled={busy || confirming.asking} data-testid="policy-confirm-yes">
          {busy ? 'Switching…' : text.confirm}
        </button>
        <button type="button" className="secondary" onClick={onCancel} data-testid="policy-confirm-cancel">
          Cancel
        </button>
      </p>
    </Dialog>
  );
}
