/**
 * Where the presenter panel keeps its ticks: this tab's sessionStorage, under
 * one key, which the operator page's reset also clears (the same tab may go
 * back to the panel, whose stream was not open to hear the reset).
 */
export const LESSON_PROGRESS_KEY = 'envelope.lessonProgress';

export function forgetLessonProgress(): void {
  sessionStorage.removeItem(LESSON_PROGRESS_KEY);
}
