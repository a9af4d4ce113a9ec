/**
 * Two pages on one app: the classroom (people chatting, with the X-ray) at /,
 * and the server's own view at /operator. The path picks the page; each is
 * loaded on demand.
 */
import { lazy, Suspense } from 'react';
import { PageLoading } from './ui/PageLoading.js';
import { useLargeText } from './ui/large-text.js';

const ClassroomPage = lazy(() => import('./classroom/ClassroomPage.js'));
const OperatorPage = lazy(() => import('./operator/OperatorPage.js'));

export function App() {
  useLargeText();
  const onOperatorPage = window.location.pathname.replace(/\/+$/, '') === '/operator';
  return <Suspense fallback={<PageLoading />}>{onOperatorPage ? <OperatorPage /> : <ClassroomPage />}</Suspense>;
}
