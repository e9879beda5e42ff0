import { Modal } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PayingCustomer, PaymentResult } from './api.ts';
import { PaymentDone } from './PaymentDone.tsx';
import { PaymentForm } from './PaymentForm.tsx';

export type { PayingCustomer } from './api.ts';

/**
 * 登记缴费 (docs/spec.md §3 "Enrolment"): the class (only those open for enrolment), the kind of payment
 * (a transfer, withdrawal or refund only once the customer has enrolled), the amount, the quote and
 * the turnover. Afterwards the dialog says what happened — the customer enrolled now, or already
 * was — and leads to the student it made.
 */
export function PaymentModal({
  customer,
  onClose,
}: {
  customer: PayingCustomer | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [result, setResult] = useState<PaymentResult | null>(null);
  const close = () => {
    setResult(null);
    onClose();
  };
  return (
    <Modal
      open={customer !== null}
      title={t('payment.title', { name: customer?.name ?? '' })}
      onCancel={close}
      footer={null}
      destroyOnHidden
      width={560}
      rootClassName="payment-modal"
    >
      {customer &&
        (result ? (
          <PaymentDone result={result} onClose={close} />
        ) : (
          <PaymentForm customer={customer} onCancel={close} onRecorded={setResult} />
        ))}
    </Modal>
  );
}
