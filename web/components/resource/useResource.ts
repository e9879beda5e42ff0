import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type Item, resourceApi, resourceKeys } from '../../api/resource.ts';
import { meQueryKey } from '../../app/useMe.ts';

/** A resource's meta: its fields, actions, and what the current user may do with it. */
export function useResourceMeta(resource: string) {
  return useQuery({
    queryKey: resourceKeys.meta(resource),
    queryFn: () => resourceApi.meta(resource),
    staleTime: 60_000,
  });
}

/**
 * One page of a list. The previous page stays on screen while the next one loads. With
 * `refreshEvery` (ms) the page is asked for again that often while the tab is visible, and as soon
 * as the window regains focus; TanStack Query stops the interval while the tab is hidden.
 */
export function useResourceList<T = Item>(
  resource: string,
  query: URLSearchParams | null,
  { refreshEvery }: { refreshEvery?: number } = {},
) {
  const search = query?.toString() ?? '';
  return useQuery({
    queryKey: resourceKeys.list(resource, search),
    queryFn: () => resourceApi.list<T>(resource, search),
    enabled: query !== null,
    placeholderData: keepPreviousData,
    ...(refreshEvery
      ? { refetchInterval: refreshEvery, refetchIntervalInBackground: false, refetchOnWindowFocus: true }
      : {}),
  });
}

export function useResourceItem<T = Item>(resource: string, id: number | string | null) {
  return useQuery({
    queryKey: resourceKeys.item(resource, id ?? ''),
    queryFn: () => resourceApi.get<T>(resource, id ?? ''),
    enabled: id !== null,
  });
}

/**
 * Create, update, delete and bulk actions. Each success refreshes every resource's lists (a user's
 * roles show role titles, so a renamed role changes the users list too) and, for resources that
 * shape the current user's menu, the current user.
 */
export function useResourceMutations(resource: string, { refreshesMe = false } = {}) {
  const queryClient = useQueryClient();
  const onSuccess = async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: resourceKeys.all }),
      refreshesMe ? queryClient.invalidateQueries({ queryKey: meQueryKey }) : undefined,
    ]);
  };
  return {
    create: useMutation({
      mutationFn: (body: Record<string, unknown>) => resourceApi.create(resource, body),
      onSuccess,
    }),
    update: useMutation({
      mutationFn: ({ id, body }: { id: number | string; body: Record<string, unknown> }) =>
        resourceApi.update(resource, id, body),
      onSuccess,
    }),
    remove: useMutation({
      mutationFn: (id: number | string) => resourceApi.remove(resource, id),
      onSuccess,
    }),
    action: useMutation({
      mutationFn: ({ name, ids, params }: { name: string; ids: (number | string)[]; params?: object }) =>
        resourceApi.action(resource, name, { ...params, ids }),
      onSuccess,
    }),
  };
}
