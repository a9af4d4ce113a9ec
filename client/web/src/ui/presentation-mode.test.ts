/**
 * Presentation mode's small state: what the stored preference means, and
 * when a key press is the shortcut (never while typing a message).
 */
import { describe, expect, it } from 'vitest';
import { isPresentationShortcut, isTypingTarget, parsePresentation, type ShortcutKey } from './presentation-mode.js';

const press = (key: string, target: ShortcutKey['target'] = { tagName: 'BODY' }, extra: Partial<ShortcutKey> = {}): ShortcutKey => ({
  key,
  altKey: false,
  ctrlKey: false,
  metaKey: false,
  repeat: false,
  target,
  ...extra,
});

describe('parsePresentation', () => {
  it('is on only for the value the page stores for on', () => {
    expect(parsePresentation('1')).toBe(true);
    expect(parsePresentation('0')).toBe(false);
    expect(parsePresentation(null)).toBe(false);
    expect(parsePresentation('true')).toBe(false);
  });
});

describe('isTypingTarget', () => {
  it('counts text fields, text areas, select lists and editable content as typing', () => {
    expect(isTypingTarget({ tagName: 'INPUT', type: 'text' })).toBe(true);
    expect(isTypingTarget({ tagName: 'input' })).toBe(true);
    expect(isTypingTarget({ tagName: 'INPUT', type: 'search' })).toBe(true);
    expect(isTypingTarget({ tagName: 'TEXTAREA' })).toBe(true);
    expect(isTypingTarget({ tagName: 'SELECT' })).toBe(true);
    expect(isTypingTarget({ tagName: 'DIV', isContentEditable: true })).toBe(true);
  });

  it('does not count buttons, checkboxes or the page itself', () => {
    expect(isTypingTarget({ tagName: 'BUTTON' })).toBe(false);
    expect(isTypingTarget({ tagName: 'INPUT', type: 'checkbox' })).toBe(false);
    expect(isTypingTarget({ tagName: 'INPUT', type: 'RADIO' })).toBe(false);
    expect(isTypingTarget({ tagName: 'BODY' })).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });
});

describe('isPresentationShortcut', () => {
  it('is P or p on the page or a button', () => {
    expect(isPresentationShortcut(press('p'))).toBe(true);
    expect(isPresentationShortcut(press('P'))).toBe(true);
    expect(isPresentationShortcut(press('p', { tagName: 'BUTTON' }))).toBe(true);
  });

  it('is not a p typed into a message or a name', () => {
    expect(isPresentationShortcut(press('p', { tagName: 'INPUT', type: 'text' }))).toBe(false);
    expect(isPresentationShortcut(press('p', { tagName: 'TEXTAREA' }))).toBe(false);
  });

  it('is not Ctrl+P (print), Alt+P, Cmd+P, a held key or another letter', () => {
    expect(isPresentationShortcut(press('p', undefined, { ctrlKey: true }))).toBe(false);
    expect(isPresentationShortcut(press('p', undefined, { altKey: true }))).toBe(false);
    expect(isPresentationShortcut(press('p', undefined, { metaKey: true }))).toBe(false);
    expect(isPresentationShortcut(press('p', undefined, { repeat: true }))).toBe(false);
    expect(isPresentationShortcut(press('l'))).toBe(false);
  });
});
