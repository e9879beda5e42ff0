import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CodeOf, notificationEvent } from '../../../server/db/schema/enums.ts';
import { api } from '../../api/client.ts';
import { currentLanguage } from '../../i18n/index.ts';

/** One notification as `GET /api/me/notifications` answers it (server/modules/inbox/routes.ts). */
export type InboxItem = {
  id: number;
  event: CodeOf<typeof notificationEvent>;
  title: string;
  text: string;
  /** A path of this app ("/customers/12"), or null when it points nowhere. */
  link: string | null;
  createdAt: string;
  readAt: string | null;
};

export type InboxPage = { items: InboxItem[]; total: number; unread: number };

/**
 * How often the bell asks for the unread count while the tab is visible; TanStack Query pauses the
 * interval in a hidden tab and asks again as soon as the window regains focus.
 */
export const INBOX_POLL_MS = 60_000;

export const INBOX_PAGE_SIZE = 20;

const inboxKey = ['inbox'] as const;

/** The server words messages in the interface's language. */
const lang = () => (currentLanguage() === 'en' ? 'en' : 'zh');

const fetchInbox = (query: { unread: boolean; page: number; pageSize: number }) =>
  api.get<InboxPage>(
    `/me/notifications?${new URLSearchParams({
      ...(query.unread ? { unread: 'true' } : {}),
      page: String(query.page),
      pageSize: String(query.pageSize),
      lang: lang(),
    })}`,
  );

/** The unread count for the bell: polled, and refreshed when the window regains focus. */
export function useUnreadCount() {
  return useQuery({
    queryKey: [...inboxKey, 'count'],
    queryFn: async () => (await fetchInbox({ unread: true, page: 1, pageSize: 1 })).unread,
    refetchInterval: INBOX_POLL_MS,
    refetchOnWindowFocus: true,
    staleTime: 10_000,
  });
}

/** A page of the drawer's list (only while it is open). */
export function useInbox(query: { unread: boolean; page: number }, enabled: boolean) {
  const language = lang();
  return useQuery({
    queryKey: [...inboxKey, 'list', query.unread, query.page, language],
    queryFn: () => fetchInbox({ ...query, pageSize: INBOX_PAGE_SIZE }),
    enabled,
    placeholderData: keepPreviousData,
    refetchInterval: enabled ? INBOX_POLL_MS : false,
  });
}

/** Marks notifications read (`ids`, or every one), then refreshes the bell and the list. */
export function useMarkRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (which: { ids: number[] } | { all: true }) =>
      api.post<{ read: number }>('/me/notifications/read', which),
    onSettled: () => queryClient.invalidateQueries({ queryKey: inboxKey }),
  });
}
