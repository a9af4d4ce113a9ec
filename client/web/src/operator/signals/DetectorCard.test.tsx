/**
 * The detector card as HTML (React's server renderer, no browser): what sealed
 * sender hid is said when it hid something and not otherwise, what the check
 * cannot know is always there, and scores read as words too. Sealed sender
 * traffic is not yet something the relay tests can send, so this covers the note.
 */
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { DetectorCard } from './DetectorCard.js';
import { DetectorReportSchema, type DetectorReportWire } from './schemas.js';
import { scoreWords } from './signals-text.js';

// Parsed with the shared schema, so the fixture is a valid answer (and its ids are branded).
const detector: DetectorReportWire = DetectorReportSchema.parse({
  id: 'fan-out',
  title: 'Fan-out bursts',
  pattern: 'One account sends envelopes to many different recipients within a minute.',
  parameters: [{ name: 'threshold', value: 25, reason: 'Beyond what a person types in a minute.' }],
  whatCannotBeKnown: 'What was sent.',
  receiptsNote: 'Receipts marked as such are left out.',
  receipts: 5,
  observed: 40,
  unattributable: 7,
  flaggedTotal: 1,
  flagged: [{ account: 'spreader', score: 0.75, summary: 'sent to 30 recipients in one minute', evidence: [{ seq: 3, messageId: 'AAAAAAAAAAAAAAAAAAAAAA' }] }],
});

const render = (report: DetectorReportWire) => renderToStaticMarkup(<DetectorCard detector={report} timeOf={() => null} onSelectPerson={() => {}} />);

describe('the detector card', () => {
  it('says how many envelopes sealed sender hid from the check, and what it cannot know', () => {
    const html = render(detector);
    expect(html).toContain('Sealed sender hid who sent 7 envelopes, so this check could not use them.');
    expect(html).toContain('What it cannot know:');
    expect(html).toContain('What was sent.');
    expect(html).toContain('Receipts marked as such are left out. (5 receipts left out so far.)');
    expect(html).toContain('75% · clear match');
    expect(html).toContain('Show evidence (1 envelope)');
    // Parameters are folded: a <details> without `open`.
    expect(html).toMatch(/<details class="signals-parameters"><summary>/);
  });

  it('says nothing about sealed sender when it hid nothing, and says when nobody is flagged', () => {
    const html = render({ ...detector, unattributable: 0, flagged: [], flaggedTotal: 0 });
    expect(html).not.toContain('Sealed sender');
    expect(html).toContain('Nobody matches this pattern right now (40 envelopes looked at).');
    expect(html).toContain('What was sent.');
  });

  it('counts reports, not envelopes, for the detector that reads user reports', () => {
    const html = render({ ...detector, unit: 'report', observed: 4, unattributable: 1, flagged: [], flaggedTotal: 0 });
    expect(html).toContain('Nobody matches this pattern right now (4 reports looked at).');
    expect(html).toContain('Sealed sender hid who sent 1 reported message, so this check could not use it.');
  });

  it('puts a score in words: at the threshold, clear, strong', () => {
    expect([0.5, 0.75, 1].map(scoreWords)).toEqual(['just over the line', 'clear match', 'strong match']);
  });
});
