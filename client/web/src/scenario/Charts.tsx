/**
 * The briefing's charts, the same SVGs briefing.html holds (chartSvgs, drawn in the worker). Each
 * is shown as an image from a data: address: the page's Content-Security-Policy allows those
 * (img-src), and an SVG shown as an image runs nothing and brings its own styles, which inline
 * markup would need the policy loosened for. Each figure is named by its caption; its image's
 * text alternative says where the same figures are in words.
 */
import type { ChartsState } from './run-model.js';

const svgAddress = (svg: string): string => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;

export function Charts({ charts }: { charts: ChartsState }) {
  if (charts.kind === 'drawing') return <p className="scenario-status" role="status">Drawing the charts…</p>;
  if (charts.kind === 'failed')
    return (
      <p className="warning" data-testid="charts-failed">
        {charts.message} The tables on this page hold the same figures, and <code>npm run scenario</code> writes the briefing with its charts.
      </p>
    );
  return (
    <div className="scenario-charts" data-testid="scenario-charts">
      {charts.charts.map((chart) => (
        <figure key={chart.id} className="scenario-chart" aria-labelledby={`scenario-chart-${chart.id}`} data-testid={`chart-${chart.id}`}>
          <img src={svgAddress(chart.svg)} alt={`Chart: ${chart.title}. The same figures are in the tables on this page and in the briefing.`} />
          <figcaption id={`scenario-chart-${chart.id}`}>{chart.title}</figcaption>
        </figure>
      ))}
    </div>
  );
}
