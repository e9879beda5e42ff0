import type { Item } from '../../api/resource.ts';

/** One row of `GET /api/sale-ranks` (server/modules/assignment/resource.ts). */
export type SaleRank = Item & {
  consultantId: number;
  consultant: { id: number; name: string } | null;
  weight: number;
  dailyQuota: number;
  active: boolean;
  /** Already today's count, in the school's time zone. */
  assignedToday: number;
  assignedOn: string | null;
};
