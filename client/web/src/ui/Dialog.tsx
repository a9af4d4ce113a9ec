/**
 * A modal dialog on the native <dialog> element: the browser traps focus in
 * it, Escape closes it, and the page behind is inert, so it works by keyboard
 * without extra code. Shown while mounted; `onClose` fires on Escape, on the
 * close button and on a click on the backdrop.
 */
import { useEffect, useId, useRef, type ReactNode } from 'react';

export interface DialogProps {
  readonly title: string;
  readonly onClose: () => void;
  readonly children: ReactNode;
  /** 'wide' for side-by-side views (the X-ray). */
  readonly size?: 'normal' | 'wide';
  readonly testId?: string;
}

export function Dialog({ title, onClose, children, size = 'normal', testId }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    // The control that opened the dialog gets the focus back when it closes. The browser's own
    // restore does not happen here: React removes the <dialog> before this cleanup closes it.
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    const cancel = (event: Event) => {
      event.preventDefault();
      onCloseRef.current();
    };
    dialog.addEventListener('cancel', cancel);
    return () => {
      dialog.removeEventListener('cancel', cancel);
      if (dialog.open) dialog.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      className={`dialog dialog-${size}`}
      aria-labelledby={titleId}
      data-testid={testId}
      onClick={(event) => {
        // A click on the dialog element itself (not its contents) is on the backdrop.
        if (event.target === ref.current) onClose();
      }}
    >
      <div className="dialog-inner">
        <header className="dialog-header">
          <h2 id={titleId}>{title}</h2>
          <button type="button" className="secondary" onClick={onClose} aria-label="Close">
            Close
          </button>
        </header>
        {children}
      </div>
    </dialog>
  );
}
