import { Suspense } from 'react';
import { createBrowserRouter } from 'react-router';
import { PageLoading } from '../components/PageLoading.tsx';
import RouteErrorPage from '../features/errors/RouteErrorPage.tsx';
import { AppShell } from './AppShell.tsx';
import { PageGate } from './PageGate.tsx';
import { RequireAuth } from './RequireAuth.tsx';
import { detailPages, HomePage, LoginPage, menuPages, NotFoundPage, ProfilePage } from './routes.tsx';

export const router = createBrowserRouter([
  {
    path: '/login',
    errorElement: <RouteErrorPage />,
    element: (
      <Suspense fallback={<PageLoading fullScreen />}>
        <LoginPage />
      </Suspense>
    ),
  },
  {
    path: '/',
    errorElement: <RouteErrorPage />,
    element: (
      <RequireAuth>
        <AppShell />
      </RequireAuth>
    ),
    children: [
      {
        // A pathless layer so that a page's error replaces only the page, not the menu around it.
        errorElement: <RouteErrorPage />,
        children: [
          { index: true, element: <HomePage /> },
          { path: 'profile', element: <ProfilePage /> },
          ...menuPages.map(({ path, Page }) => ({
            path,
            element: (
              <PageGate path={path}>
                <Page />
              </PageGate>
            ),
          })),
          ...detailPages.map(({ path, menuPath, Page }) => ({
            path,
            element: (
              <PageGate path={menuPath}>
                <Page />
              </PageGate>
            ),
          })),
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
]);
