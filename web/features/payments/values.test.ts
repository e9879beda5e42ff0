import { describe, expect, test } from 'vitest';
import { ApiError } from '../../api/client.ts';
import { initialPaymentValues, paymentInput, refusedField } from './values.ts';

describe('the payment form', () => {
  test('sends the amounts as the API takes them, leaving out what was left empty', () => {
    expect(
      paymentInput(7, { ...initialPaymentValues, classId: 3, paidFee: '12800.5', note: '  first term  ' }),
    ).toEqual({
      customerId: 7,
      classId: 3,
      payType: 'deposit',
      paidFee: '12800.5',
      quote: null,
      turnover: null,
      note: 'first term',
    });
    expect(paymentInput(7, { ...initialPaymentValues, quote: '15000', turnover: '0' })).toMatchObject({
      quote: '15000',
      turnover: '0',
    });
  });

  test('a refusal about the class or the kind of payment is shown beside that field', () => {
    expect(refusedField(new ApiError(409, 'class_closed', 'closed'))).toBe('classId');
    expect(refusedField(new ApiError(409, 'not_in_class', 'not in class'))).toBe('classId');
    expect(refusedField(new ApiError(409, 'not_enrolled', 'not enrolled'))).toBe('payType');
    expect(refusedField(new ApiError(400, 'validation', 'bad'))).toBeUndefined();
    expect(refusedField(new Error('offline'))).toBeUndefined();
  });
});
