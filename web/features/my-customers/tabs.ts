import type { distributionStatus } from '../../../server/db/schema/enums.ts';

/** A period of ownership's status, as the schema lists them. */
export type PeriodStatus = (typeof distributionStatus.codes)[number];

export type TabKey = 'all' | 'following' | 'released' | 'enrolled';

/**
 * The tabs of "my customers", each a group of statuses written as the API's `status` filter takes
 * it (comma = or). "All" is no filter at all, so the plain menu link opens it.
 */
export const tabs: { key: TabKey; statuses: string | null }[] = [
  { key: 'all', statuses: null },
  { key: 'following', statuses: 'following' },
  { key: 'released', statuses: 'released_no_followup,released_no_deal,reassigned' },
  { key: 'enrolled', statuses: 'enrolled' },
];

const released = new Set(['released_no_followup', 'released_no_deal', 'reassigned']);

/**
 * The tab a `status` filter belongs to. A hand-written filter (an old link, `status=reassigned`)
 * lands on the group that holds every status it names, else on "all".
 */
export function tabOf(status: string | undefined): TabKey {
  const values = (status ?? '').split(',').filter(Boolean);
  if (values.length === 0) return 'all';
  if (values.every((value) => value === 'following')) return 'following';
  if (values.every((value) => value === 'enrolled')) return 'enrolled';
  if (values.every((value) => released.has(value))) return 'released';
  return 'all';
}

export const statusColors: Record<PeriodStatus, string> = {
  following: 'processing',
  enrolled: 'success',
  released_no_followup: 'warning',
  released_no_deal: 'volcano',
  reassigned: 'default',
};
