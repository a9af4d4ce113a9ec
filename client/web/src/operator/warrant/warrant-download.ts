/**
 * Saves an exported document through a Blob link: the file is made in the
 * browser from the answer already on screen, so exporting sends nothing more
 * to the server and nothing to anyone else.
 */
import type { WarrantAnswer } from './schemas.js';
import { warrantDocument, warrantFileName } from './WarrantDocument.js';

/** The link's address is freed once the browser has surely started the download (revoking at once can cancel it). */
const REVOKE_AFTER_MS = 30_000;

export function downloadWarrantAnswer(answer: WarrantAnswer): void {
  const url = URL.createObjectURL(new Blob([warrantDocument(answer)], { type: 'text/html;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = warrantFileName(answer);
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
}
