/**
 * Who talks to whom, drawn from the metadata log alone: a circle per account
 * (bigger with more traffic) with its name under it, a line per pair who
 * exchanged envelopes (thicker with more). Positions come from the view model
 * (d3-force, then label-layout so no two names overlap); this draws them as
 * SVG, so each person is a real focusable element whose accessible name is
 * the name shown. Zoom and pan with d3-zoom (Ctrl + scroll or a pinch, drag
 * to move; the buttons and + - 0 keys too). Keys: graph-keys.ts.
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { select } from 'd3-selection';
import { zoom, zoomIdentity, type ZoomBehavior, type ZoomTransform } from 'd3-zoom';
import { edgeWidth } from './graph-layout.js';
import { graphKey, nextPerson, tabStop } from './graph-keys.js';
import type { GraphPicture, PairLine, PersonDot } from './graph-state.js';
import { NAME_GAP } from './label-layout.js';
import { plural } from './format.js';
import { usePresentationState } from '../ui/presentation-mode.js';

export interface TalkGraphProps {
  readonly picture: GraphPicture;
  readonly selected: string | null;
  readonly onSelectPerson: (username: string) => void;
  /** Hidden-sender envelopes whose sender the server read from inside (transport-only; content-state.ts). */
  readonly readFromInside?: number;
  /** Told the drawing's box in presentation mode (where the page sets its shape), null otherwise: the layout follows its shape. */
  readonly onBox?: (box: { readonly width: number; readonly height: number } | null) => void;
}

/** Zoom in at most this far: a single name across the whole graph is enough. */
const MAX_SCALE = 6;
/** One press of + or - (or a button). */
const ZOOM_STEP = 1.5;

export function TalkGraph(props: TalkGraphProps) {
  const { picture } = props;
  if (picture.people.length === 0) {
    return (
      <p className="operator-empty" data-testid="operator-graph-empty">
        Nobody has an account yet. As soon as people join and write to each other, the server can draw who talks to whom.
      </p>
    );
  }
  return <GraphFigure {...props} />;
}

function GraphFigure({ picture, selected, onSelectPerson, readFromInside = 0, onBox }: TalkGraphProps) {
  const svgRef = useRef<SVGSVGElement>(null);
  const zoomRef = useRef<ZoomBehavior<SVGSVGElement, unknown> | null>(null);
  const nodes = useRef(new Map<string, SVGGElement>());
  const [transform, setTransform] = useState<ZoomTransform>(zoomIdentity);
  const [focused, setFocused] = useState<string | null>(null);
  const helpId = useId();
  const { viewBox, people } = picture;
  const presenting = usePresentationState();
  const reportBox = useRef(onBox);
  reportBox.current = onBox;

  // In presentation mode the graph fills a wide band: its shape is the page's, and the layout follows it.
  useEffect(() => {
    const svg = svgRef.current!;
    if (!presenting) {
      reportBox.current?.(null);
      return;
    }
    const observer = new ResizeObserver(() => reportBox.current?.({ width: svg.clientWidth, height: svg.clientHeight }));
    observer.observe(svg);
    return () => observer.disconnect();
  }, [presenting]);

  useEffect(() => {
    const svg = svgRef.current!;
    const behaviour = zoom<SVGSVGElement, unknown>()
      .scaleExtent([1, MAX_SCALE])
      // The wheel scrolls the page unless Ctrl (or a trackpad pinch, which sends it) is held; a drag on the background pans.
      .filter((event: MouseEvent | WheelEvent) => (event.type === 'wheel' ? event.ctrlKey || event.metaKey : !event.ctrlKey && event.button === 0))
      .on('zoom', (event: { transform: ZoomTransform }) => setTransform(event.transform));
    select(svg).call(behaviour).on('dblclick.zoom', null);
    zoomRef.current = behaviour;
    return () => {
      select(svg).on('.zoom', null);
      zoomRef.current = null;
    };
  }, []);

  // The view box changes when someone new is placed: panning stays within it.
  useEffect(() => {
    zoomRef.current?.translateExtent([
      [viewBox.x, viewBox.y],
      [viewBox.x + viewBox.width, viewBox.y + viewBox.height],
    ]);
  }, [viewBox]);

  const zoomBy = (by: 'in' | 'out' | 'reset', around?: PersonDot) => {
    const svg = svgRef.current;
    const behaviour = zoomRef.current;
    if (!svg || !behaviour) return;
    if (by === 'reset') behaviour.transform(select(svg), zoomIdentity);
    else behaviour.scaleBy(select(svg), by === 'in' ? ZOOM_STEP : 1 / ZOOM_STEP, around ? transform.apply([around.x, around.y]) : undefined);
  };

  /** Zoomed in, a person moved to (or picked in the timeline) off screen is brought to the middle. */
  const keepInView = (person: PersonDot) => {
    const svg = svgRef.current;
    const behaviour = zoomRef.current;
    if (!svg || !behaviour || transform.k === 1) return;
    const [x, y] = transform.apply([person.x, person.y]);
    const inside = x > viewBox.x && x < viewBox.x + viewBox.width && y > viewBox.y && y < viewBox.y + viewBox.height;
    if (!inside) behaviour.translateTo(select(svg), person.x, person.y);
  };

  useEffect(() => {
    const person = people.find((p) => p.username === selected);
    if (person) keepInView(person);
    // Only when the selection changes (from here, the table or the timeline), not on every zoom step.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selected]);

  const stop = focused && people.some((p) => p.username === focused) ? focused : tabStop(people, selected);

  const onKeyDown = (event: KeyboardEvent<SVGSVGElement>) => {
    const action = graphKey(event.key);
    if (!action || event.altKey || event.ctrlKey || event.metaKey) return;
    const here = people.find((p) => p.username === (event.target as Element).getAttribute?.('data-username'));
    if (action.kind === 'zoom') zoomBy(action.by, here);
    else if (!here) return;
    else if (action.kind === 'select') onSelectPerson(here.username);
    else {
      const next = nextPerson(people, here, action.direction);
      if (next) {
        nodes.current.get(next.username)?.focus();
        keepInView(next);
      }
    }
    event.preventDefault();
  };

  const isSelectedLine = (line: PairLine) => selected !== null && (line.pair.a === selected || line.pair.b === selected);
  // The selected person's lines last, so they are drawn on top.
  const lines = [...picture.lines].sort((x, y) => Number(isSelectedLine(x)) - Number(isSelectedLine(y)));
  const hidden = picture.unattributed;
  return (
    <figure className={`operator-graph${selected ? ' has-selection' : ''}`} data-testid="operator-graph">
      <div className="operator-graph-bar">
        <p className="operator-graph-counts" data-testid="operator-graph-counts">
          {plural(people.length, 'person', 'people')} · {plural(picture.lines.length, 'pair')} in contact ·{' '}
          <span className="operator-graph-hidden" data-testid="operator-graph-hidden" data-count={hidden}>
            hidden sender: {plural(hidden, 'envelope')}
          </span>
        </p>
        <div className="operator-graph-zoom" role="group" aria-label="Zoom the graph">
          <button type="button" className="secondary" onClick={() => zoomBy('in')} aria-keyshortcuts="+" title="Zoom in (key: +)">
            Zoom in
          </button>
          <button type="button" className="secondary" onClick={() => zoomBy('out')} disabled={transform.k <= 1} aria-keyshortcuts="-" title="Zoom out (key: -)">
            Zoom out
          </button>
          <button type="button" className="secondary" onClick={() => zoomBy('reset')} disabled={transform.k === 1 && transform.x === 0 && transform.y === 0} aria-keyshortcuts="0" title="Show everyone (key: 0)">
            Show everyone
          </button>
        </div>
      </div>
      <svg
        ref={svgRef}
        viewBox={`${viewBox.x} ${viewBox.y} ${viewBox.width} ${viewBox.height}`}
        role="group"
        aria-label={`Who talks to whom: ${plural(people.length, 'person', 'people')}, ${plural(picture.lines.length, 'pair')} in contact`}
        aria-describedby={helpId}
        onKeyDown={onKeyDown}
        data-zoom={transform.k.toFixed(2)}
      >
        <g transform={transform.toString()}>
          <g className="operator-graph-lines">
            {lines.map((line) => (
              <PairStroke key={`${line.pair.a}\u0000${line.pair.b}`} line={line} busiest={picture.busiest} selected={isSelectedLine(line) ? selected : null} />
            ))}
          </g>
          {people.map((person) => (
            <PersonNode
              key={person.username}
              person={person}
              selected={person.username === selected}
              tabbable={person.username === stop}
              selfTalk={picture.selfTalk.get(person.username) ?? 0}
              onSelect={onSelectPerson}
              onFocus={() => setFocused(person.username)}
              register={(element) => {
                if (element) nodes.current.set(person.username, element);
                else nodes.current.delete(person.username);
              }}
            />
          ))}
        </g>
      </svg>
      <figcaption>
        <span id={helpId} className="operator-graph-help">
          Circle size: envelopes sent and received. Line thickness: envelopes between the two (pick a person to see the numbers on their lines). Keys: arrows
          move between people, Enter opens a timeline, + and − zoom, 0 shows everyone; drag to move, Ctrl + scroll to zoom.
        </span>
        {hidden > 0 && (
          <>
            {' '}
            <strong>{plural(hidden, 'envelope')}</strong> had a hidden sender (sealed sender), so the server cannot draw a line for them
            (hidden receipts among them: sealed, a receipt looks like any message).
          </>
        )}
        {readFromInside > 0 && (
          <>
            {' '}
            <strong data-testid="operator-graph-read-inside">{plural(readFromInside, 'sealed envelope')}</strong> were sent in transport-only: the server
            opened them and read the sender’s name inside, so for those sealing hid nothing from it (the names are in the envelope list).
          </>
        )}
        {picture.receipts > 0 && (
          <>
            {' '}
            <strong data-testid="operator-graph-receipts">{plural(picture.receipts, 'receipt')}</strong> (a phone saying “I have your message”, marked as
            such by the app) are not counted: they are not conversation.
          </>
        )}
      </figcaption>
    </figure>
  );
}

/** Where a line's number sits, from the selected person towards the other: past the middle, so the numbers fan out instead of crowding round the selected circle. */
const COUNT_ALONG = 0.62;

/** A pair's line; `selected` is the selected person when the line is theirs (it is then drawn darker, with its number). */
function PairStroke({ line, busiest, selected }: { line: PairLine; busiest: number; selected: string | null }) {
  const { pair, from, to } = line;
  const highlighted = selected !== null;
  const [near, far] = selected === pair.b ? [to, from] : [from, to];
  return (
    <g className={highlighted ? 'is-highlighted' : undefined}>
      <line x1={from.x} y1={from.y} x2={to.x} y2={to.y} strokeWidth={edgeWidth(pair.total, busiest)}>
        <title>{`${pair.a} → ${pair.b}: ${pair.aToB}, ${pair.b} → ${pair.a}: ${pair.bToA}${pair.receipts > 0 ? ` (and ${plural(pair.receipts, 'receipt')}, not counted)` : ''}`}</title>
      </line>
      {/* Numbers only on the selected person's lines: two hundred numbers at once would cover the names. */}
      {highlighted && (
        <text x={near.x + (far.x - near.x) * COUNT_ALONG} y={near.y + (far.y - near.y) * COUNT_ALONG} className="operator-graph-count" dy="0.35em" data-testid="operator-graph-count">
          {pair.total}
        </text>
      )}
    </g>
  );
}

interface PersonNodeProps {
  readonly person: PersonDot;
  readonly selected: boolean;
  readonly tabbable: boolean;
  readonly selfTalk: number;
  readonly onSelect: (username: string) => void;
  readonly onFocus: () => void;
  readonly register: (element: SVGGElement | null) => void;
}

function PersonNode({ person, selected, tabbable, selfTalk, onSelect, onFocus, register }: PersonNodeProps) {
  const descriptionId = useId();
  const own = selfTalk > 0 ? `, ${plural(selfTalk, 'envelope')} to own devices` : '';
  return (
    <g
      ref={register}
      className={`operator-graph-person${selected ? ' is-selected' : ''}`}
      transform={`translate(${person.x} ${person.y})`}
      tabIndex={tabbable ? 0 : -1}
      role="button"
      aria-pressed={selected}
      // The accessible name is exactly the name shown under the circle; the counts are its description.
      aria-label={person.username}
      aria-describedby={descriptionId}
      onClick={() => onSelect(person.username)}
      onFocus={onFocus}
      data-testid="operator-graph-person"
      data-username={person.username}
    >
      <desc id={descriptionId}>{`${person.sent} sent · ${person.received} received${own}. Enter opens the timeline.`}</desc>
      <circle r={person.radius} />
      <text className="operator-graph-name" y={person.radius + NAME_GAP} dy="0.95em" data-testid="operator-graph-name">
        {person.username}
      </text>
    </g>
  );
}
