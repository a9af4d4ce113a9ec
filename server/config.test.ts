import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('loadConfig', () => {
  it('runs metadata signals live by default; SIGNALS=off turns them off; anything else is refused by name', () => {
    expect(loadConfig({}).liveSignals).toBe(true);
    expect(loadConfig({ SIGNALS: 'on' }).liveSignals).toBe(true);
    expect(loadConfig({ SIGNALS: 'off' }).liveSignals).toBe(false);
    expect(() => loadConfig({ SIGNALS: 'no' })).toThrow(/SIGNALS must be "on" or "off"/);
  });

  it('stores no network addresses by default; STORE_ADDRESSES=on with its retention; bad values refused by name', () => {
    expect(loadConfig({}).addresses).toEqual({ stored: false, retentionDays: 7 });
    expect(loadConfig({ STORE_ADDRESSES: 'on', ADDRESS_RETENTION_DAYS: '30' }).addresses).toEqual({ stored: true, retentionDays: 30 });
    expect(() => loadConfig({ STORE_ADDRESSES: 'yes' })).toThrow(/STORE_ADDRESSES must be "on" or "off"/);
    expect(() => loadConfig({ ADDRESS_RETENTION_DAYS: '0' })).toThrow(/ADDRESS_RETENTION_DAYS must be a whole number/);
  });

  it('limits bundle fetches per account, per address, and one-time prekeys per target', () => {
    const limits = loadConfig({}).bundleFetchLimits;
    expect(limits.perAccount).toEqual({ perSecond: 1, burst: 30 });
    expect(limits.perAddress).toEqual({ perSecond: 1, burst: 60 });
    expect(limits.oneTimePerTarget).toEqual({ perSecond: 1 / 60, burst: 10 });
    expect(loadConfig({ ONE_TIME_PREKEYS_PER_TARGET_PER_HOUR: '120' }).bundleFetchLimits.oneTimePerTarget.perSecond).toBe(120 / 3600);
    expect(() => loadConfig({ BUNDLE_FETCHES_PER_ADDRESS_PER_MINUTE: '-1' })).toThrow(/BUNDLE_FETCHES_PER_ADDRESS_PER_MINUTE/);
  });

  it('refuses a port that is not a whole number in range, naming the variable', () => {
    expect(loadConfig({ PORT: '8080' }).port).toBe(8080);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT must be a whole number/);
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/PORT/);
  });

  it('keeps waiting envelopes 14 days unless MAILBOX_RETENTION_DAYS says otherwise (1 to 3650)', () => {
    expect(loadConfig({}).mailboxRetentionDays).toBe(14);
    expect(loadConfig({ MAILBOX_RETENTION_DAYS: '2' }).mailboxRetentionDays).toBe(2);
    expect(() => loadConfig({ MAILBOX_RETENTION_DAYS: '0' })).toThrow(/MAILBOX_RETENTION_DAYS must be a whole number from 1 to 3650/);
  });

  it('keeps the stored policy mode unless POLICY_MODE names one; an unknown mode is refused by name', () => {
    expect(loadConfig({}).policyMode).toBeUndefined();
    expect(loadConfig({ POLICY_MODE: 'transport-only' }).policyMode).toBe('transport-only');
    expect(loadConfig({ POLICY_MODE: 'e2ee' }).policyMode).toBe('e2ee');
    expect(loadConfig({ POLICY_MODE: 'key-escrow' }).policyMode).toBe('key-escrow');
    expect(() => loadConfig({ POLICY_MODE: 'client-scanning' })).toThrow(/POLICY_MODE must be one of "e2ee", "transport-only", "key-escrow" \(got "client-scanning"\)/);
  });

  it('ESCROW_CHECK_BITS is 16 (Clipper) unless set to 64; anything else is refused', () => {
    expect(loadConfig({}).escrowCheckBits).toBe(16);
    expect(loadConfig({ ESCROW_CHECK_BITS: '64' }).escrowCheckBits).toBe(64);
    expect(() => loadConfig({ ESCROW_CHECK_BITS: '32' })).toThrow(/ESCROW_CHECK_BITS must be 16 or 64 \(got "32"\)/);
  });
});
