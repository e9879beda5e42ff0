import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
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

/** A follow-up's channels (server/db/schema/enums.ts `consultChannel`), in the order the form offers them. */
export const followUpChannels = ['phone', 'wechat', 'qq', 'visit', 'other'] as const;
export type FollowUpChannel = (typeof followUpChannels)[number];

/** What `POST /api/customers/:id/consult-records` answers. */
export type FollowUpResult = {
  record: Record<string, unknown>;
  /** Whether the follow-up restarted the release clock: only the owner's, before the deadline. */
  clockMoved: boolean;
  /** The customer's new release deadline when the clock moved. */
  releaseAt: string | null;
};

/**
 * Adds a follow-up (跟进). Every list and the customer itself may change (its last follow-up, its
 * release deadline, its place in "my customers"), so all resource queries refresh, the timeline too.
 */
export function useAddFollowUp() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ customerId, ...body }: { customerId: number; note: string; channel: FollowUpChannel }) =>
      api.post<FollowUpResult>(`/customers/${customerId}/consult-records`, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: resourceKeys.all }),
  });
}
