/**
 * The parameters of the content model and of methods 3-5 (content.ts): the traders of abuse
 * material, what ordinary people send that a scanner or classifier can mistake, client-side
 * scanning, and the content classifier. Each default with its provenance; docs/scenario.md
 * explains each.
 */
import { assumed, sourced, type ParameterInfo } from './provenance.js';

export interface ContentParameters {
  // Traders of abuse material, and what ordinary people send.
  readonly traderShareOfAdults: number;
  readonly newMaterialTraderShare: number;
  readonly traderImagesPerDay: number;
  readonly knownMaterialShare: number;
  readonly viralKnownImageShare: number;
  readonly ordinaryImageShare: number;
  readonly parentPhotoShare: number;
  readonly teenSextingShare: number;
  readonly politicalImageShare: number;
  // (3) Client-side scanning.
  readonly hashRecall: number;
  readonly hashFalseMatchRate: number;
  readonly matchThreshold: number;
  readonly evasionShare: number;
  readonly listTamperedShare: number;
  readonly rogueClientShare: number;
  // (4) and (5) A content classifier: per harm, its true-positive rate on a harmful conversation
  // (an image, for abuse material) and its false-positive rate on an innocent one.
  readonly groomingClassifierTpr: number;
  readonly groomingClassifierFpr: number;
  readonly sextortionClassifierTpr: number;
  readonly sextortionClassifierFpr: number;
  readonly spamClassifierTpr: number;
  readonly spamClassifierFpr: number;
  readonly drugsClassifierTpr: number;
  readonly drugsClassifierFpr: number;
  readonly imageClassifierTpr: number;
  readonly imageClassifierFpr: number;
  readonly childPhotoFlagProbability: number;
}

export const CONTENT_DEFAULTS: ContentParameters = {
  traderShareOfAdults: 0.002,
  newMaterialTraderShare: 0.2,
  traderImagesPerDay: 3,
  knownMaterialShare: 0.9,
  viralKnownImageShare: 0.8,
  ordinaryImageShare: 0.05,
  parentPhotoShare: 0.1,
  teenSextingShare: 0.01,
  politicalImageShare: 0.05,
  hashRecall: 0.98,
  hashFalseMatchRate: 3e-8,
  matchThreshold: 30,
  evasionShare: 0.25,
  listTamperedShare: 0,
  rogueClientShare: 0,
  groomingClassifierTpr: 0.83,
  groomingClassifierFpr: 0.001,
  sextortionClassifierTpr: 0.8,
  sextortionClassifierFpr: 0.001,
  spamClassifierTpr: 0.88,
  spamClassifierFpr: 0.001,
  drugsClassifierTpr: 0.7,
  drugsClassifierFpr: 0.001,
  imageClassifierTpr: 0.9,
  imageClassifierFpr: 0.001,
  childPhotoFlagProbability: 0.01,
};

export const CONTENT_PARAMETER_INFO: { readonly [K in keyof ContentParameters]: ParameterInfo } = {
  traderShareOfAdults: assumed(
    'Share of adults who trade child sexual abuse material, in small closed circles of up to five who send each other images.',
    'No prevalence figure exists. 0.05% was our first guess, raised fourfold so a run of a few thousand holds a circle.',
  ),
  newMaterialTraderShare: assumed('Share of traders whose images are new (made by them or their circle): none is on a hash list.', 'Ours: most traded material is old, so a minority.'),
  traderImagesPerDay: assumed('Images a trader sends a day to their circle (Poisson).', 'Ours, unsourced.'),
  knownMaterialShare: sourced(
    'Share of a trader of known material\'s images that are already on the hash list (the rest are new to it).',
    'Meta\'s analysis of the material it reported to NCMEC over two months: more than 90% was the same as or visually similar to material reported before.',
    'stated directly',
  ),
  viralKnownImageShare: sourced(
    'Share of viral sharers whose one forwarded item is a known abuse image, sent in outrage or bad humour, not to trade (the rest forward something harmless).',
    'Set so that at the defaults about three in four accounts that send a known image are not traders: Meta\'s sample of 150 accounts it reported found more than 75% showed no malicious intent.',
    'computed from sourced figures',
  ),
  ordinaryImageShare: assumed('Share of an ordinary account\'s messages that carry a photo.', 'Ours: one message in twenty.'),
  parentPhotoShare: assumed('Share of a parent\'s messages to their child that carry a photo of a child (bath time, the beach): a confounder for a nudity classifier.', 'Ours, unsourced.'),
  teenSextingShare: assumed(
    'Share of a teen couple\'s messages that carry a nude image one of them took (a confounder: new, never on a list, and what a classifier of new material looks for).',
    'Ours. Thorn\'s surveys find about one in seven aged 9-17 has shared a nude; the share per message is unknown.',
  ),
  politicalImageShare: assumed('Share of ordinary photos that are political images (a protest, a cartoon): what a tampered list would be made to find.', 'Ours: an order of magnitude.'),
  hashRecall: sourced(
    'Chance a known image, not deliberately altered, matches the hash list (the hash survives resizing and recompression).',
    'PhotoDNA\'s developer claimed about 98% of derived images recognised (2009).',
    'via press',
  ),
  hashFalseMatchRate: sourced(
    'Chance an innocent image matches the hash list by accident (per image).',
    'Apple\'s reported test of NeuralHash: 3 false matches in 100 million images (PhotoDNA\'s claim is lower).',
    'via press',
  ),
  matchThreshold: sourced(
    'Matched images an account must send before the platform can see them and review it (threshold secret sharing, as in Apple\'s 2021 design).',
    'Apple\'s 2021 design: 30 matches before review.',
    'via press',
  ),
  evasionShare: assumed(
    'Share of traders who re-encode their images past the list before sending; an altered image then matches only 1 time in 1,000 (Jain et al. evaded black-box perceptual hashes on more than 99.9% of images).',
    'Ours: how many offenders do it is unknown; the attack itself is published and works.',
  ),
  rogueClientShare: assumed(
    'Share of offenders whose app is modified (or an old version) and skips the scanning code: client-side scanning hashes images on the sender\'s own device, so such an app never reports a match. Reports still work: the recipient\'s app refuses a message without a valid franking commitment, so a modified sender cannot dodge reports without its messages being refused.',
    'Off: how many offenders would run a modified app is unknown. Its effect is certain where they do: scanning finds none of their images.',
  ),
  listTamperedShare: assumed(
    'Share of the hash list that is not abuse material (planted by whoever controls the list). A political image then matches with chance 8 x this share, up to 1.',
    'Off: the list as intended. The factor follows Hooda et al., where poisoning 5% of the list found more than 40% of the targeted images; linear in between is ours.',
  ),
  groomingClassifierTpr: sourced(
    'Chance the grooming classifier flags a grooming conversation (one sender, one recipient, one day).',
    'Morris and Hirst at PAN-2012: F1 0.83 with behavioural features (0.77 on words alone), on a benchmark with decoys; used as the true-positive rate, which F1 is not.',
    'stated directly',
  ),
  groomingClassifierFpr: assumed(
    'Chance the grooming classifier flags an innocent conversation.',
    'Ours: 1 in 1,000 conversations; no deployed tool publishes one (the Commission expects about 1 in 10 of its flags to be wrong, a precision figure that holds only at its test set\'s base rate).',
  ),
  sextortionClassifierTpr: assumed('Chance a classifier of threats and payment demands flags a sextortion conversation.', 'Ours: near the grooming figure; no published figure.'),
  sextortionClassifierFpr: assumed('Chance it flags an innocent conversation.', 'Ours: 1 in 1,000, as for grooming.'),
  spamClassifierTpr: sourced(
    'Chance a content-based spam classifier flags a spam conversation.',
    'A study of junk messages in WhatsApp\'s public groups: F1 0.88 from content (0.90 from metadata alone); used as the true-positive rate.',
    'via press',
  ),
  spamClassifierFpr: assumed('Chance it flags an innocent conversation.', 'Ours: 1 in 1,000.'),
  drugsClassifierTpr: assumed('Chance a classifier of drug sales (emoji price lists, codes) flags a sale.', 'Ours: lower than the others, as sellers use shifting codes; no source.'),
  drugsClassifierFpr: assumed('Chance it flags an innocent conversation.', 'Ours: 1 in 1,000.'),
  imageClassifierTpr: assumed('Chance a classifier of abuse images flags one (known or new).', 'Ours: no vendor publishes a recall.'),
  imageClassifierFpr: sourced(
    'Chance it flags an innocent image (per image).',
    'Thorn\'s classifier: a false-positive rate of 0.1%, 1 image in 1,000, as reported by a cryptographer quoting it.',
    'via press',
  ),
  childPhotoFlagProbability: assumed(
    'Chance the image classifier flags a parent\'s photo of their own child.',
    'Ours: it happens (a father\'s photos of his toddler for a doctor cost him his Google account in 2021, as the New York Times reported); how often is unknown.',
  ),
};
