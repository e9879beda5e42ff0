import type { CodeOf, payType } from '../../db/schema/enums.ts';

export type PayType = CodeOf<typeof payType>;

/** A deposit or tuition enrols the customer (docs/spec.md §3 "Enrolment"). */
export const enrols = (type: PayType): boolean => type === 'deposit' || type === 'tuition';

/**
 * Pay types that put the student in the payment's class: an enrolment, or a transfer into it. Only
 * these need the class open — a withdrawal or a refund for a class that has finished must stay
 * possible, since the money moves after the class does.
 */
export const placesInClass = (type: PayType): boolean => enrols(type) || type === 'transfer';

/**
 * What may be recorded for a customer: anyone may pay a deposit or tuition; a transfer, a
 * withdrawal or a refund needs a customer who has enrolled (the server answers `not_enrolled`).
 */
export function payTypesFor(status: string): PayType[] {
  return status === 'enrolled'
    ? ['deposit', 'tuition', 'transfer', 'withdraw', 'refund']
    : ['deposit', 'tuition'];
}
