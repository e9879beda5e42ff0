import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { PaymentInput } from '../../../server/modules/payments/schemas.ts';
import { api } from '../../api/client.ts';
import { resourceKeys } from '../../api/resource.ts';
import type { Language } from '../../i18n/index.ts';

/** A payment's kinds (server/db/schema/enums.ts `payType`), in the order the form offers them. */
export const payTypes = ['deposit', 'tuition', 'transfer', 'withdraw', 'refund'] as const;
export type PayType = (typeof payTypes)[number];

/**
 * What may be recorded for a customer, as the server decides it (server/modules/payments/rules.ts
 * `payTypesFor`): a deposit or tuition for anyone; a transfer, withdrawal or refund once enrolled.
 */
export function payTypesFor(status: unknown): PayType[] {
  return status === 'enrolled' ? [...payTypes] : ['deposit', 'tuition'];
}

/** A class's name in the user's language: "Python全栈 (9期)", "Python全栈 (term 9)". */
export type ClassName = { id: number; name: string; nameEn?: string };
export const className = (named: ClassName, language: Language): string =>
  language === 'en' && named.nameEn ? named.nameEn : named.name;

/** The customer a payment is for, as any list row or page has it. */
export type PayingCustomer = { id: number; name: string; status?: unknown };

/** What `POST /api/payments` takes: the route's own body schema. Money is CNY: "12800" or "12800.50". */
export type { PaymentInput };

/** What `POST /api/payments` answers (server/modules/payments/enrol.ts). */
export type PaymentResult = {
  payment: { id: number; payType: PayType; paidFee: string };
  /** Whether the customer is enrolled now, and whether this payment enrolled them. */
  enrolled: boolean;
  enrolledNow: boolean;
  customer: { id: number; name: string; status: string };
  class: ClassName & { nameEn: string };
  student: { id: number; name: string };
};

/** The student a customer became, with their classes (`GET /api/customers/:id/student`). */
export type CustomerStudent = {
  id: number;
  classes: (ClassName & { nameEn: string; status: 'active' | 'withdrawn' })[];
};

const studentKey = (customerId: number) =>
  [...resourceKeys.resource('customers'), 'student', String(customerId)] as const;

export function useCustomerStudent(customerId: number | null) {
  return useQuery({
    queryKey: studentKey(customerId ?? 0),
    queryFn: () => api.get<{ student: CustomerStudent | null }>(`/customers/${customerId}/student`),
    enabled: customerId !== null,
    select: (data) => data.student,
  });
}

/**
 * 登记缴费. A payment may enrol the customer, end its owner's period and make a student: every
 * list, the customer and its timeline change, so every resource query refreshes.
 */
export function useRecordPayment() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: PaymentInput) => api.post<PaymentResult>('/payments', input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: resourceKeys.all }),
  });
}
