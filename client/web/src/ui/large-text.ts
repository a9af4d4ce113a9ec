/**
 * Large-text mode for projectors: one class on <html>, remembered in
 * localStorage (page-mode.ts), toggled by the LargeTextToggle button (or Alt+L).
 */
import { useEffect } from 'react';
import { pageMode } from './page-mode.js';

const largeText = pageMode('envelope.largeText', 'large-text');

export const setLargeText = largeText.set;
export const useLargeTextState = largeText.useState;

/** Applies the remembered mode and installs the Alt+L shortcut. Call once, at the top. */
export function useLargeText(): void {
  useEffect(() => {
    largeText.apply(largeText.read());
    const onKey = (event: KeyboardEvent) => {
      if (event.altKey && event.key.toLowerCase() === 'l') largeText.set(!largeText.isOn());
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
