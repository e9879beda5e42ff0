import { ApiError } from '../../api/client.ts';
import type { Field } from '../../api/resource.ts';
import type { PaymentInput, PayType } from './api.ts';

/** The payment form's values; amounts as the money inputs give them (strings, or null when empty). */
export type PaymentValues = {
  classId: number | null;
  payType: PayType;
  paidFee: string | null;
  quote: string | null;
  turnover: string | null;
  note: string;
};

export const initialPaymentValues: PaymentValues = {
  classId: null,
  payType: 'deposit',
  paidFee: null,
  quote: null,
  turnover: null,
  note: '',
};

/** The fields a refusal's details may name. */
export const paymentFieldKeys = ['classId', 'payType', 'paidFee', 'quote', 'turnover', 'note'];

/** The class picker: classes open for enrolment, named in the user's language. */
export const classField: Field = {
  key: 'classId',
  title: '班级',
  titleEn: 'Class',
  kind: 'ref',
  ref: 'classes',
  refLabel: 'name',
  required: true,
  list: false,
  sortable: false,
  form: true,
};

/** What `POST /api/payments` takes for the form's values. */
export function paymentInput(customerId: number, values: PaymentValues): PaymentInput {
  return {
    customerId,
    classId: Number(values.classId),
    payType: values.payType,
    paidFee: String(values.paidFee),
    quote: values.quote === null || values.quote === undefined ? null : String(values.quote),
    turnover: values.turnover === null || values.turnover === undefined ? null : String(values.turnover),
    note: values.note?.trim() ?? '',
  };
}

/** The field a refusal concerns, to show it beside that field, or undefined. */
export function refusedField(error: unknown): keyof PaymentValues | undefined {
  if (!(error instanceof ApiError)) return undefined;
  return ({ class_closed: 'classId', not_in_class: 'classId', not_enrolled: 'payType' } as const)[
    error.code as 'class_closed'
  ];
}
