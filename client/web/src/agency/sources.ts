/**
 * The sources the agency page cites, from docs/lawful-access.md, only those
 * marked verified there. The notes beside them on the page are our own words.
 */
import type { Source } from '../ui/sources.js';

export const AGENCY_SOURCES = {
  athens: {
    label:
      'Prevelakis and Spinellis, “The Athens Affair”, IEEE Spectrum, July 2007; The Guardian, 7 February 2006; EDRi, 15 February 2006',
  },
  saltTyphoon: {
    label: 'FBI and CISA joint statement, 13 November 2024, as quoted by the press',
  },
  prospective: {
    label: 'Green, Kaptchuk and Van Laer, “Abuse Resistant Law Enforcement Access Systems”, EUROCRYPT 2021',
  },
  doormats: {
    label: 'Abelson, Anderson, Bellovin and others, “Keys Under Doormats”, MIT-CSAIL-TR-2015-026, 2015 (Communications of the ACM 58(10))',
  },
  blaze: {
    label: 'Matt Blaze, “Protocol Failure in the Escrowed Encryption Standard”, AT&T Bell Laboratories, June 1994; NIST’s fact sheet on the standard',
  },
} satisfies Record<string, Source>;
