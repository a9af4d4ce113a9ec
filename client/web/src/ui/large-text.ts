/**
 * Large-text mode for projectors: one class on <html>, remembered in
 * localStorage, toggled by the LargeTextToggle button (or Alt+L).
 */
import { useEffect, useState } from 'react';

const STORAGE_KEY = 'envelope.largeText';
const listeners = new Set<(on: boolean) => void>();

function read(): boolean {
  try {
    return localStorage.getItem(STORAGE_KEY) === '1';
  } catch {
    return false;
  }
}

function apply(on: boolean): void {
  document.documentElement.classList.toggle('large-text', on);
}

export function setLargeText(on: boolean): void {
  try {
    localStorage.setItem(STORAGE_KEY, on ? '1' : '0');
  } catch {
    // Private windows may refuse storage: the mode still applies to this page.
  }
  apply(on);
  listeners.forEach((listener) => listener(on));
}

/** Applies the remembered mode and installs the Alt+L shortcut. Call once, at the top. */
export function useLargeText(): void {
  useEffect(() => {
    apply(read());
    const onKey = (event: KeyboardEvent) => {
      if (event.altKey && event.key.toLowerCase() === 'l') setLargeText(!document.documentElement.classList.contains('large-text'));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

export function useLargeTextState(): boolean {
  const [on, setOn] = useState(read);
  useEffect(() => {
    listeners.add(setOn);
    return () => void listeners.delete(setOn);
  }, []);
  return on;
}
