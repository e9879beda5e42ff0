import { api } from '../../api/client.ts';
import type { Item, ListPage } from '../../api/resource.ts';

/** Why a customer is public (docs/spec.md §8's pool item `releasedReason`). */
export type ReleasedReason = 'no_followup' | 'no_deal' | 'unassigned';

/** One row of `GET /api/pool` (server/modules/pool/resource.ts): a customer, contacts masked. */
export type PoolItem = Item & {
  name: string;
  phone: string | null;
  qq: string | null;
  releasedReason: ReleasedReason;
  /** When it became public: the deadline that passed, or when it was put in the pool unowned. */
  publicSince: string | null;
  previousConsultant: { id: number; name: string } | null;
};

/**
 * How often an open pool page asks for changes while the tab is visible.
 *
 * Polling rather than server-sent events: the grab itself is race-free on the server (a stale row
 * costs one 409 that the page handles), page 1 of the pool is a cheap index range scan (its
 * figures: docs/benchmarks.md), and a plain GET works behind any proxy and across any number of app
 * instances, where SSE would need a connection per open page and a pub/sub between instances to
 * learn about grabs made on another one. TanStack Query stops the interval while the tab is hidden
 * and refetches as soon as the window regains focus (`useResourceList`'s `refreshEvery`).
 */
export const POOL_REFRESH_MS = 10_000;

export type GrabResult = { customer: Item; distribution: Item };

/** 抢单: 200, or 409 already_taken / 403 previous_owner / 429 grab_limit / 409 owned_limit. */
export const grabCustomer = (customerId: number) => api.post<GrabResult>(`/pool/${customerId}/grab`);

/** Takes a customer off every cached page of the pool at once, before the refetch confirms it. */
export function withoutCustomer(page: ListPage<PoolItem> | undefined, customerId: number) {
  if (!page?.items.some((item) => item.id === customerId)) return page;
  return {
    ...page,
    items: page.items.filter((item) => item.id !== customerId),
    total: Math.max(0, page.total - 1),
  };
}
