import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('loadConfig', () => {
  it('runs metadata signals live by default; SIGNALS=off turns them off; anything else is refused by name', () => {
    expect(loadConfig({}).liveSignals).toBe(true);
    expect(loadConfig({ SIGNALS: 'on' }).liveSignals).toBe(true);
    expect(loadConfig({ SIGNALS: 'off' }).liveSignals).toBe(false);
    expect(() => loadConfig({ SIGNALS: 'no' })).toThrow(/SIGNALS must be "on" or "off"/);
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
});
