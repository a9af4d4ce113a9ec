import { PRESENTATION_KEY, setPresentation, usePresentationState } from './presentation-mode.js';

/** The switch for presentation mode, beside "Large text": one label, its state in aria-pressed (and the page's look); label and title name the key. */
export function PresentationToggle() {
  const on = usePresentationState();
  return (
    <button
      type="button"
      className="secondary"
      data-testid="presentation-toggle"
      aria-pressed={on}
      aria-keyshortcuts={PRESENTATION_KEY}
      onClick={() => setPresentation(!on)}
      title={`Presentation mode: only the chats (or the stream, graph and a detector) on one screen. Key: ${PRESENTATION_KEY}, when you are not typing in a box.`}
    >
      Presentation mode ({PRESENTATION_KEY})
    </button>
  );
}
