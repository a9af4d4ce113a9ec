/**
 * Presentation mode, for a class watching one projector: one class on
 * <html> folds away the page's title, introduction and join box (and on the
 * operator page every section but the stream, the graph and one detector
 * card), so the parts being shown fit one screen at 1024x768 with large text.
 * Remembered in localStorage like large text (page-mode.ts); toggled by the
 * PresentationToggle button or the P key.
 *
 * P, not Alt+P: a single key a teacher can find in front of a room. It counts
 * only when focus is not in something you type into, so a "p" typed in a
 * message never switches the page.
 */
import { useEffect } from 'react';
import { pageMode, parseStoredMode } from './page-mode.js';

export const PRESENTATION_STORAGE_KEY = 'envelope.presentation';
export const PRESENTATION_CLASS = 'presentation';
/** What the button's title and aria-keyshortcuts say. */
export const PRESENTATION_KEY = 'P';

const presentation = pageMode(PRESENTATION_STORAGE_KEY, PRESENTATION_CLASS);

export const setPresentation = presentation.set;
/** The stored preference: on only if it says so (page-mode.ts). */
export const parsePresentation = parseStoredMode;
export const usePresentationState = presentation.useState;

/** The part of a focused element the shortcut looks at. */
export interface FocusTarget {
  readonly tagName: string;
  readonly isContentEditable?: boolean;
  readonly type?: string;
}

/** Input types that take no typing: a P pressed on one of these is not text. */
const NON_TEXT_INPUTS = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file', 'image']);

/** True where a key press is typing: a text field, a text area, a select list or editable content. */
export function isTypingTarget(target: FocusTarget | null): boolean {
  if (target === null) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName.toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') return !NON_TEXT_INPUTS.has((target.type ?? 'text').toLowerCase());
  return false;
}

/** The key event's parts that decide whether it is the shortcut. */
export interface ShortcutKey {
  readonly key: string;
  readonly altKey: boolean;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly repeat: boolean;
  readonly target: FocusTarget | null;
}

/** P (either case) with no modifier, not held down, and not while typing. Ctrl+P still prints. */
export function isPresentationShortcut(event: ShortcutKey): boolean {
  if (event.altKey || event.ctrlKey || event.metaKey || event.repeat) return false;
  if (event.key.toLowerCase() !== PRESENTATION_KEY.toLowerCase()) return false;
  return !isTypingTarget(event.target);
}

function focusTarget(target: EventTarget | null): FocusTarget | null {
  return target instanceof HTMLElement ? { tagName: target.tagName, isContentEditable: target.isContentEditable, type: (target as HTMLInputElement).type } : null;
}

/**
 * Applies the remembered mode and installs the P shortcut while a page that
 * has the mode is shown; the class goes when the page does, so a page
 * without a presentation layout never gets a half-folded one.
 */
export function usePresentationMode(): void {
  useEffect(() => {
    presentation.apply(presentation.read());
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented) return;
      if (!isPresentationShortcut({ key: event.key, altKey: event.altKey, ctrlKey: event.ctrlKey, metaKey: event.metaKey, repeat: event.repeat, target: focusTarget(event.target) })) return;
      event.preventDefault();
      presentation.set(!presentation.isOn());
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      presentation.apply(false);
    };
  }, []);
}
