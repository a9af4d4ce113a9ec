/** The briefing: its charts as SVG (chartSvgs) and the self-contained HTML file (renderBriefing). */
export { chartSvgs, NCA_KEPT, NCMEC_KEPT, type Chart } from './charts.js';
export { esc, renderBriefing, type BriefingRunInfo } from './html.js';
