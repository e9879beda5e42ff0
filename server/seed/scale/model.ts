import type { Via } from '../demo/customers.ts';

export type ScaleState = 'following' | 'expired_unswept' | 'released' | 'unassigned' | 'enrolled';
export const scaleStates: readonly ScaleState[] = [
  'following',
  'expired_unswept',
  'released',
  'unassigned',
  'enrolled',
];

export type BulkTable =
  | 'customers'
  | 'customer_courses'
  | 'customer_distributions'
  | 'consult_records'
  | 'payment_records'
  | 'students'
  | 'student_classes';

export type ScaleSummary = {
  rows: Record<
    | 'departments'
    | 'roles'
    | 'role_permissions'
    | 'users'
    | 'user_roles'
    | 'sale_ranks'
    | 'schools'
    | 'courses'
    | 'classes'
    | 'class_teachers'
    | BulkTable,
    number
  >;
  customers: Record<ScaleState, number>;
  consultants: number;
};

export type ScaleOptions = {
  customers: number;
  /** "Now" for the data: creation times spread over the two years before it. */
  at: Date;
  /** Everyone's password (the demo staff and the generated consultants). */
  password: string;
  /** Dates the classes (default Asia/Shanghai). */
  timezone?: string;
  onProgress?: (done: number, total: number) => void;
  /** Customers per transaction (default 5,000); the data depends on it, through the referrals. */
  batchSize?: number;
};

export const DAY = 86_400_000;
export const SPAN_DAYS = 730;

export type Owner = { id: number; weight: number };
export type ClassInfo = { id: number; start: number; price: number; courseIndex: number; label: string };

export type PeriodStatus =
  | 'following'
  | 'enrolled'
  | 'released_no_followup'
  | 'released_no_deal'
  | 'reassigned';

/** One period of ownership; times in epoch milliseconds. */
export type Period = {
  owner: number;
  start: number;
  /** The owner's follow-ups, oldest first; the last one is the period's `last_consult_at`. */
  consults: number[];
  status: PeriodStatus;
  /** When a closed period ended (for a released one: its deadline). */
  end: number | null;
  via: Via;
};

export type Enrolment = { paidAt: number; cls: ClassInfo };
