import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { fetchMe, logout, type Me } from '../api/auth.ts';

export const meQueryKey = ['me'] as const;

/** The signed-in user: `undefined` while loading, `null` when signed out. */
export function useMe() {
  return useQuery({ queryKey: meQueryKey, queryFn: fetchMe, staleTime: 60_000 });
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
