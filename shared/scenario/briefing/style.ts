/** The briefing's only styles: inline, readable on a screen, and printed on A4 with a break before each part. */
export const BRIEFING_CSS = `
:root { color-scheme: light; }
body { margin: 0; font: 15px/1.5 Helvetica, Arial, sans-serif; color: #1a1a1a; background: white; }
main { max-width: 800px; margin: 0 auto; padding: 24px; }
h1 { font-size: 24px; line-height: 1.25; margin: 4px 0 8px; }
h2 { font-size: 19px; margin: 20px 0 8px; }
h3 { font-size: 15px; margin: 0 0 6px; }
.kicker { font-size: 12px; text-transform: uppercase; letter-spacing: 0.05em; color: #555; margin: 0; }
.question { font-size: 16px; color: #333; }
.caveat { border-left: 4px solid #b06000; padding: 4px 12px; background: #fff6e8; }
.key li { margin-bottom: 6px; }
table { border-collapse: collapse; width: 100%; margin: 12px 0; font-size: 12px; }
caption { text-align: left; font-weight: bold; padding-bottom: 4px; }
th, td { border: 1px solid #c8ccd2; padding: 4px 6px; text-align: left; vertical-align: top; }
thead th { background: #eef1f5; }
table.headline { font-size: 14px; }
tr.computed { background: #e8f0fb; }
figure.chart { margin: 16px 0; break-inside: avoid; page-break-inside: avoid; }
figure.chart svg { max-width: 100%; height: auto; }
figcaption { font-size: 12px; color: #444; }
code { font-size: 12px; }
.sources li { margin-bottom: 4px; font-size: 13px; }
.used, .small { color: #555; font-size: 12px; }
@page { size: A4; margin: 14mm; }
@media print {
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  .summary { break-after: page; page-break-after: always; }
  .part { break-before: page; page-break-before: always; }
  .summary + .part { break-before: auto; page-break-before: auto; }
  table { font-size: 9pt; }
  tr, th, td { break-inside: avoid; page-break-inside: avoid; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
}
`;
