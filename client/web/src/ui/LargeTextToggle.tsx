import { setLargeText, useLargeTextState } from './large-text.js';

export function LargeTextToggle() {
  const on = useLargeTextState();
  return (
    <button type="button" className="secondary" data-testid="large-text-toggle" aria-pressed={on} onClick={() => setLargeText(!on)} title="Alt+L">
      {on ? 'Normal text' : 'Large text'}
    </button>
  );
}
