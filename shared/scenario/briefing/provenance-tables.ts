/** The briefing's parameters table (every default with its provenance) and its list of sources. */
import type { ScenarioResult } from '../scoring.js';

type Escape = (text: unknown) => string;

export function parametersTable(r: ScenarioResult, esc: Escape): string {
  const rows = Object.entries(r.parameters).map(([name, info]) => {
    const provenance =
      info.provenance === 'sourced' ? `<strong>Sourced</strong> (${esc(info.status)}): ${esc(info.source)}` : `<strong>Assumed</strong>: ${esc(info.reason)}`;
    return `<tr><th scope="row"><code>${esc(name)}</code></th><td>${esc(info.value)}${info.isDefault ? '' : ' <em>(changed)</em>'}</td><td>${esc(info.description)}</td><td>${provenance}</td></tr>`;
  });
  return `<table class="parameters"><caption>Every parameter of this run, its value, and where its default comes from</caption><thead><tr><th scope="col">Parameter</th><th scope="col">Value</th><th scope="col">What it is</th><th scope="col">Provenance</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** The publications the sourced defaults and the quoted estimates come from, named in our words. */
export const SOURCES: readonly { readonly what: string; readonly usedFor: string }[] = [
  { what: 'UK National Crime Agency: statement on Meta\'s roll-out of end-to-end encryption (December 2023) and press release on the European police chiefs\' declaration (April 2024); the 92% (Facebook) and 85% (Instagram) figures as reported by the press.', usedFor: 'the quoted estimate' },
  { what: 'Open letter from the US, UK and Australian governments to Facebook (October 2019), quoting NCMEC\'s estimate that 70% of Facebook\'s reports (about 12 million a year) would be lost.', usedFor: 'the quoted estimate' },
  { what: 'Ofcom, Online Nation 2023 report: 47.9 million UK adults online in May 2023.', usedFor: 'ukUsers' },
  { what: 'Thorn, survey of 1,000 children aged 9-17 on their responses to online sexual interactions (2021): 68% blocked, 50% reported.', usedFor: 'victimReportProbability, blockProbability' },
  { what: 'Thorn, research on online grooming: two in three minors asked to move to another platform (via press).', usedFor: 'offPlatformProbability' },
  { what: 'Thorn and NCMEC, study of financial sextortion reports (2024): 90% of victims boys aged 14-17.', usedFor: 'sextortionTargetsMinorShare' },
  { what: 'Meta, takedown of Nigeria-linked sextortion accounts (2024): about 2,500 accounts run by about 20 people (via press).', usedFor: 'sextortionAccountsPerOperator' },
  { what: 'Meta, analysis of the child exploitation material it reported to NCMEC (2021): more than 90% the same as or similar to earlier reports; more than 75% of 150 sampled accounts showed no malicious intent.', usedFor: 'knownMaterialShare, viralKnownImageShare' },
  { what: 'WhatsApp, white paper on stopping abuse: about 2 million accounts banned a month, more than 75% without a recent user report.', usedFor: 'spamBotShare, spamReportProbability (both assumed, anchored on it)' },
  { what: 'PhotoDNA\'s developer, claim of about 98% of altered copies recognised (2009, via press).', usedFor: 'hashRecall' },
  { what: 'Apple, Security Threat Model Review of its child safety features (2021): 3 false matches in 100 million images, a threshold of 30 matches (via press).', usedFor: 'hashFalseMatchRate, matchThreshold' },
  { what: 'Jain, Cretu and de Montjoye, adversarial detection avoidance attacks on perceptual hashing (2022): evasion on more than 99.9% of images.', usedFor: 'evasionShare (assumed, the attack\'s success)' },
  { what: 'Hooda and colleagues, re-purposing perceptual-hash scanning for physical surveillance (2022): 5% of the list poisoned found more than 40% of targeted images.', usedFor: 'listTamperedShare (assumed, the factor)' },
  { what: 'Morris and Hirst, sexual predator identification at PAN 2012 (CLEF): F1 0.83 (0.77 on words alone).', usedFor: 'groomingClassifierTpr' },
  { what: 'A study of junk messages in WhatsApp\'s public groups: F1 0.88 from content, 0.90 from metadata alone (via press).', usedFor: 'spamClassifierTpr' },
  { what: 'Thorn\'s image classifier: a false-positive rate of 1 in 1,000, as quoted by a cryptographer.', usedFor: 'imageClassifierFpr' },
  { what: 'The New York Times (2022): a father lost his Google account over photos of his toddler taken for a doctor.', usedFor: 'childPhotoFlagProbability (assumed)' },
];

export function sourcesList(_r: ScenarioResult, esc: Escape): string {
  return `<ol class="sources">${SOURCES.map((s) => `<li>${esc(s.what)} <span class="used">Used for: ${esc(s.usedFor)}.</span></li>`).join('')}</ol>`;
}
