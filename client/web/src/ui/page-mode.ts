/**
 * A page-wide display mode a teacher turns on for the room (large text,
 * presentation): one class on <html>, remembered in localStorage, with the
 * buttons that show it kept in step.
 */
import { useEffect, useState } from 'react';

/** The stored value: on only if it says so; anything else (absent, old, tampered) is off. */
export function parseStoredMode(stored: string | null): boolean {
  return stored === '1';
}

export interface PageMode {
  /** The remembered setting (off where storage is refused). */
  read(): boolean;
  /** Puts the class on <html> or takes it off, without remembering. */
  apply(on: boolean): void;
  /** Whether the class is on now. */
  isOn(): boolean;
  /** Applies and remembers it, and tells every button. */
  set(on: boolean): void;
  /** The setting, for a button that shows it. */
  useState(): boolean;
}

export function pageMode(storageKey: string, className: string): PageMode {
  const listeners = new Set<(on: boolean) => void>();
  const read = (): boolean => {
    try {
      return parseStoredMode(localStorage.getItem(storageKey));
    } catch {
      return false;
    }
  };
  const apply = (on: boolean): void => void document.documentElement.classList.toggle(className, on);
  return {
    read,
    apply,
    isOn: () => document.documentElement.classList.contains(className),
    set(on) {
      try {
        localStorage.setItem(storageKey, on ? '1' : '0');
      } catch {
        // Private windows may refuse storage: the mode still applies to this page.
      }
      apply(on);
      listeners.forEach((listener) => listener(on));
    },
    useState() {
      const [on, setOn] = useState(read);
      useEffect(() => {
        listeners.add(setOn);
        return () => void listeners.delete(setOn);
      }, []);
      return on;
    },
  };
}
