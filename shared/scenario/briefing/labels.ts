/** Plain names for the briefing's charts and tables, and number formats that need no locale data (same bytes everywhere). */
import type { Harm } from '../population.js';

export const METHOD_NAMES: Record<string, string> = {
  'metadata-signals': 'Metadata signals',
  'user-reports': 'User reports',
  'client-side-scanning': 'Client-side scanning',
  'content-classifier': 'Full content access',
  'targeted-access': 'Targeted access after suspicion',
  combined: 'Signals, reports and scanning together',
};

export const methodName = (id: string): string => METHOD_NAMES[id] ?? id;

export const HARM_NAMES: Record<Harm, string> = {
  grooming: 'Grooming',
  sextortion: 'Sextortion',
  spam: 'Spam and scams',
  drugs: 'Drug sales',
  'known-material': 'Known abuse images',
  'new-material': 'New abuse images',
};

export const KIND_NAMES: Record<string, string> = {
  ordinary: 'Ordinary people',
  joiner: 'New ordinary accounts',
  parent: 'Parents',
  coach: 'Coaches and teachers',
  'viral-sharer': 'Viral sharers',
  'teen-peer': 'Teens in couples',
};

/** 1234567 -> "1,234,567". */
export function whole(x: number): string {
  const sign = x < 0 ? '-' : '';
  return sign + String(Math.round(Math.abs(x))).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A share as a percentage: 0.9231 -> "92%", small ones with a decimal (0.0123 -> "1.2%"), null -> "n/a". */
export function percent(x: number | null): string {
  if (x === null) return 'n/a';
  const p = x * 100;
  if (p !== 0 && Math.abs(p) < 10) return `${(Math.round(p * 10) / 10).toFixed(1)}%`;
  return `${Math.round(p)}%`;
}

/** A decimal with at most `digits` after the point, trailing zeros dropped: 8.2143 -> "8.2". */
export function decimal(x: number, digits = 1): string {
  if (Math.abs(x) >= 1000) return whole(x);
  const f = 10 ** digits;
  return String(Math.round(x * f) / f);
}

/** A median in hours, as people say it: "4 h", "2.5 days". */
export function hours(h: number | null): string {
  if (h === null) return 'n/a';
  return h < 48 ? `${decimal(h)} h` : `${decimal(h / 24)} days`;
}
