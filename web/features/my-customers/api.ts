import type { Item } from '../../api/resource.ts';
import type { PeriodStatus } from './tabs.ts';

/** One row of `GET /api/my-customers` (server/modules/distributions/my-customers.ts). */
export type MyCustomer = Item & {
  customerId: number;
  status: PeriodStatus;
  via: string;
  startedAt: string;
  endedAt: string | null;
  customer: {
    id: number;
    name: string;
    phone: string | null;
    qq: string | null;
    wechat: string | null;
    status: string;
    lastConsultAt: string | null;
    releaseAt: string | null;
  } | null;
  /** Days (fractional) until the customer is released; only on the live following period. */
  daysLeft: number | null;
  /** The caller's own last follow-up within this period (not a later owner's). */
  lastFollowUpAt: string | null;
};
