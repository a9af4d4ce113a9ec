/**
 * Pages on one app: the classroom (people chatting, with the X-ray) at /,
 * the server's own view at /operator, the lawful-intercept console at
 * /agency, the guided lesson's presenter panel at /lesson with its printable
 * handout (/lesson/handout) and teacher sheet (/lesson/teacher), and the
 * scenario (run in the browser) at /scenario. The path picks the page; each
 * is loaded on demand.
 */
import { lazy, Suspense } from 'react';
import { PageLoading } from './ui/PageLoading.js';
import { useLargeText } from './ui/large-text.js';

const ClassroomPage = lazy(() => import('./classroom/ClassroomPage.js'));
const OperatorPage = lazy(() => import('./operator/OperatorPage.js'));
const AgencyPage = lazy(() => import('./agency/AgencyPage.js'));
const LessonPage = lazy(() => import('./lesson/LessonPage.js'));
const HandoutPage = lazy(() => import('./lesson/HandoutPage.js'));
const TeacherSheetPage = lazy(() => import('./lesson/TeacherSheetPage.js'));
const ScenarioPage = lazy(() => import('./scenario/ScenarioPage.js'));

const PAGES: Readonly<Record<string, () => React.JSX.Element>> = {
  '/operator': () => <OperatorPage />,
  '/agency': () => <AgencyPage />,
  '/lesson': () => <LessonPage />,
  '/lesson/handout': () => <HandoutPage />,
  '/lesson/teacher': () => <TeacherSheetPage />,
  '/scenario': () => <ScenarioPage />,
};

export function App() {
  useLargeText();
  const path = window.location.pathname.replace(/\/+$/, '');
  const page = Object.hasOwn(PAGES, path) ? PAGES[path]!() : <ClassroomPage />;
  return <Suspense fallback={<PageLoading />}>{page}</Suspense>;
}
