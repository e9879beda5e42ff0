import { type Static, Type } from 'typebox';
import { payType } from '../../db/schema/enums.ts';
import { Enumerated } from '../../http/schemas.ts';

/*
 * What POST /api/payments takes, in a file of its own that imports no runtime server code, so that
 * the web's payment form sends the type the route validates (web/features/payments/api.ts).
 */

const Id = Type.Integer({ minimum: 1, maximum: 2_147_483_647 });
const Money = Type.String({ pattern: '^\\d{1,10}(\\.\\d{1,2})?$', description: 'CNY, e.g. "12800.00"' });

export const PaymentBody = Type.Object(
  {
    customerId: Id,
    classId: Id,
    payType: Enumerated(payType.codes),
    paidFee: Money,
    quote: Type.Optional(Type.Union([Money, Type.Null()])),
    turnover: Type.Optional(Type.Union([Money, Type.Null()])),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
    paidAt: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);

export type PaymentInput = Static<typeof PaymentBody>;
