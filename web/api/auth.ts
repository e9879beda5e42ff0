import type { PermissionCode } from '../../server/auth/catalogue.ts';
import { ApiError, api, setCsrfToken } from './client.ts';

export type MenuItem = { code: string; title: string; titleEn: string; icon: string | null; path: string };
export type MenuGroup = { id: number; title: string; titleEn: string; icon: string; items: MenuItem[] };
export type Role = { id: number; code: string; title: string };

/** The signed-in user as `GET /api/auth/me` describes them. */
export type Me = {
  id: number;
  username: string;
  name: string;
  roles: Role[];
  /** Checked by the compiler against the server's catalogue: a misspelt code does not build. */
  permissions: PermissionCode[];
  menus: MenuGroup[];
  /** The school's time zone (e.g. Asia/Shanghai): times are shown in it, not in the browser's. */
  timezone: string;
  csrfToken: string;
  /** The grants' version this was read at (see onAuthEpoch). */
  authEpoch: string;
};

type LoginResponse = { user: Omit<Me, 'csrfToken' | 'authEpoch'>; csrfToken: string; authEpoch: string };

/** The current user, or null when nobody is signed in (or the session has expired). */
export async function fetchMe(): Promise<Me | null> {
  try {
    const me = await api.get<Me>('/auth/me', { sessionRequired: false });
    setCsrfToken(me.csrfToken);
    return me;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}

export async function login(credentials: { username: string; password: string }): Promise<Me> {
  const { user, csrfToken, authEpoch } = await api.post<LoginResponse>('/auth/login', credentials, {
    sessionRequired: false,
  });
  setCsrfToken(csrfToken);
  return { ...user, csrfToken, authEpoch };
}

export async function logout(): Promise<void> {
  try {
    await api.post('/auth/logout', undefined, { sessionRequired: false });
  } finally {
    setCsrfToken(null);
  }
}
