/**
 * A QR code drawn as SVG by React. The `qrcode` package does the encoding
 * (error correction, masking); we only draw its modules, so there is no canvas
 * and no image URL for the page's Content-Security-Policy to allow. The
 * package is loaded on first use: the first paint does not wait for it.
 */
import { useEffect, useState } from 'react';

interface Modules {
  readonly size: number;
  readonly data: ArrayLike<number>;
}

/** A quiet zone of four modules on each side, as ISO/IEC 18004 asks. */
const QUIET = 4;

export interface QrCodeProps {
  /** What the code encodes. */
  readonly text: string;
  /** Side of the square on screen, in CSS pixels. */
  readonly size: number;
  /** Read out to screen readers, e.g. "QR code of the join address". */
  readonly label: string;
}

export function QrCode({ text, size, label }: QrCodeProps) {
  const [modules, setModules] = useState<Modules | null>(null);
  useEffect(() => {
    let live = true;
    void import('qrcode').then((qrcode) => {
      if (live) setModules(qrcode.create(text, { errorCorrectionLevel: 'M' }).modules);
    });
    return () => {
      live = false;
    };
  }, [text]);

  if (!modules) return <div className="qr-placeholder" style={{ width: size, height: size }} aria-busy="true" />;
  const side = modules.size + 2 * QUIET;
  // One path of unit squares: small DOM, crisp at any zoom.
  let path = '';
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; col++) {
      if (modules.data[row * modules.size + col]) path += `M${col + QUIET} ${row + QUIET}h1v1h-1z`;
    }
  }
  return (
    <svg className="qr" width={size} height={size} viewBox={`0 0 ${side} ${side}`} role="img" aria-label={label} shapeRendering="crispEdges">
      <rect width={side} height={side} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
