import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { fetchMe, logout, type Me } from '../api/auth.ts';
import { setSchoolTimezone } from './time.ts';

export const meQueryKey = ['me'] as const;

/** `me`, and the school's time zone it names, which every date on screen is shown in. */
async function fetchMeInSchoolTime(): Promise<Me | null> {
  const me = await fetchMe();
  if (me) setSchoolTimezone(me.timezone);
  return me;
}

/** The signed-in user: `undefined` while loading, `null` when signed out. */
export function useMe() {
  return useQuery({ queryKey: meQueryKey, queryFn: fetchMeInSchoolTime, staleTime: 60_000 });
}

/** The signed-in user, for components that only render inside the auth guard. */
export function useCurrentUser(): Me {
  const { data } = useMe();
  if (!data) throw new Error('useCurrentUser() used outside the signed-in shell');
  return data;
}

export function useSignOut(): () => Promise<void> {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return async () => {
    try {
      await logout();
    } catch {
      // The session may already be gone on the server; signing out here is what matters.
    }
    // Leave the guarded pages first (synchronously), so that clearing `me` below cannot make the
    // guard redirect to /login?next=<this page> and hand the next person this user's last page.
    await navigate('/login', { replace: true, flushSync: true });
    queryClient.clear();
  };
}
