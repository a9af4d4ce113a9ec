/**
 * Entry point. Only React and the page shell load first; each page (and
 * libsodium, which only the classroom page needs) is a separate chunk loaded
 * after first paint, so the first load stays small (issue: < 300 KB gzipped).
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { config as zodConfig } from 'zod';
import { App } from './App.js';
import './ui/base.css';

// zod compiles fast object parsers with `new Function` unless told not to; its probe
// for that is an eval the server's Content-Security-Policy refuses (and reports as a
// violation). The page parses little, so it parses without compiling.
zodConfig({ jitless: true });

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
