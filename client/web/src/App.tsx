/**
 * Four pages on one app: the classroom (people chatting, with the X-ray) at /,
 * the server's own view at /operator, the lawful-intercept console at
 * /agency, and the scenario (run in the browser) at /scenario. The path picks
 * the page; each is loaded on demand.
 */
import { lazy, Suspense } from 'react';
import { PageLoading } from './ui/PageLoading.js';
import { useLargeText } from './ui/large-text.js';

const ClassroomPage = lazy(() => import('./classroom/ClassroomPage.js'));
const OperatorPage = lazy(() => import('./operator/OperatorPage.js'));
const AgencyPage = lazy(() => import('./agency/AgencyPage.js'));
const ScenarioPage = lazy(() => import('./scenario/ScenarioPage.js'));

export function App() {
  useLargeText();
  const path = window.location.pathname.replace(/\/+$/, '');
  const page = path === '/operator' ? <OperatorPage /> : path === '/agency' ? <AgencyPage /> : path === '/scenario' ? <ScenarioPage /> : <ClassroomPage />;
  return <Suspense fallback={<PageLoading />}>{page}</Suspense>;
}
