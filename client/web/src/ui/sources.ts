/**
 * The reporting the explanations cite (the news reports and research the product answers), named
 * once so every page cites a source the same way. Labels say who said it and
 * when; the notes beside them are our own words.
 */
export interface Source {
  readonly label: string;
  readonly href?: string;
}

export const SOURCES = {
  policeDeclaration: {
    label: 'Declaration of 32 European police chiefs (NCA and Europol), 21 April 2024, as reported by the press and the NCA',
  },
  ncaReferrals: {
    label: 'NCA press release on the police chiefs’ declaration, April 2024 (92% of Facebook and 85% of Instagram referrals expected to be lost)',
  },
  europolTwoAsks: {
    label: 'heise online on the Europol statement, April 2024 (the two capabilities police ask for)',
  },
  messengerDefaultE2ee: {
    label: 'Recorded Future News on Meta’s default end-to-end encryption for Messenger, December 2023 (NCA: metadata alone “will rarely, if ever” be enough for a warrant)',
  },
  openLetter2019: {
    label: 'Open letter of the US, UK and Australian governments to Facebook, October 2019, as reported by the press',
  },
  blaze1994: {
    label: 'Matt Blaze, “Protocol Failure in the Escrowed Encryption Standard”, AT&T Bell Labs, June 1994',
  },
  nistEesFactSheet: {
    label: 'NIST’s fact sheet on the Escrowed Encryption Standard (Clipper), 1994: the 16-bit checkword, and that the search “could be done in less than an hour”',
  },
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
} satisfies Record<string, Source>;
