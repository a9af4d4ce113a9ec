/** How the scenario page writes figures and names: plain words for a room, the same everywhere on the page. */
import { METHOD_NAMES } from '@envelope/scenario';

// One set of names for the page and the briefing it downloads (the package's), so a harm or a method reads the same in both.
export { HARM_NAMES, METHOD_NAMES } from '@envelope/scenario';

export const methodName = (id: string, title: string): string => METHOD_NAMES[id] ?? title;

export const count = (n: number): string => n.toLocaleString('en-GB');

/** A share as a percentage: whole numbers when large, one or two significant decimals when small. */
export function percent(share: number | null, none = '–'): string {
  if (share === null) return none;
  const p = share * 100;
  if (p === 0) return '0%';
  if (p >= 10 || Number.isInteger(p)) return `${Math.round(p)}%`;
  // Math.round, not toFixed: 3.65 is stored just under itself, and toFixed would show a package-rounded 0.0365 as 3.6%, the slider's 0.03653 as 3.7%.
  if (p >= 1) return `${Math.round(p * 10) / 10}%`;
  return `${Number(p.toPrecision(2))}%`;
}

/** A rate per 10,000 accounts, to one decimal (or two significant figures when under 1). */
/** A share the package rounded to four decimals: a count above zero whose share rounds to 0 is "under 0.01%", not 0%. */
export function shareOf(count: number, share: number): string {
  return count > 0 && share === 0 ? 'under 0.01%' : percent(share);
}

export function per10k(x: number): string {
  if (x === 0) return '0';
  if (x >= 1) return Number(x.toFixed(1)).toLocaleString('en-GB');
  return String(Number(x.toPrecision(2)));
}

export function hours(h: number | null): string {
  if (h === null) return '–';
  return h >= 48 ? `${count(Math.round(h))} h (${Math.round(h / 24)} days)` : `${h} h`;
}
