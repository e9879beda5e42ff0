import type { ReactNode } from 'react';
import ForbiddenPage from '../features/errors/ForbiddenPage.tsx';
import { hasMenuPath } from './menu.ts';
import { useCurrentUser } from './useMe.ts';

/**
 * Shows a menu page only to users whose menus include it. The server enforces the same rule on
 * every API call; this gate just spares the user a page full of 403 errors.
 */
export function PageGate({ path, children }: { path: string; children: ReactNode }) {
  const me = useCurrentUser();
  return hasMenuPath(me.menus, path) ? children : <ForbiddenPage />;
}
