import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { resourceKeys } from '../../api/resource.ts';

/** One event of `GET /api/customers/:id/timeline` (server/modules/customers/timeline.ts). */
export type TimelineEvent = {
  at: string;
  kind: 'ownership_started' | 'ownership_ended' | 'follow_up' | 'payment' | 'change';
  /** Who did it or whom it concerns; null for the system. */
  user: { id: number; name: string } | null;
  /** The record's own fields: `via`/`status`/`memo`, `channel`/`note`, `payType`/`paidFee`/`classId`… */
  detail: Record<string, unknown>;
};

/**
 * Under the customers resource's key, so that every save through the resource hooks (which refresh
 * `resourceKeys.all`) refreshes the timeline too: an edit shows up in it at once.
 */
export const customerKeys = {
  timeline: (id: number) => [...resourceKeys.resource('customers'), 'timeline', String(id)] as const,
};

/** A customer's owners, follow-ups, payments and edits, newest first. */
export function useCustomerTimeline(id: number | null) {
  return useQuery({
    queryKey: customerKeys.timeline(id ?? 0),
    queryFn: () => api.get<{ items: TimelineEvent[] }>(`/customers/${id}/timeline`),
    enabled: id !== null,
    select: (data) => data.items,
  });
}
