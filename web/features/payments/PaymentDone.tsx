import { Button, Result, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { currentLanguage } from '../../i18n/index.ts';
import { formatMoney } from '../customers/timeline.ts';
import { className, type PaymentResult } from './api.ts';

/** What the payment did, in words, and the way to the student. */
export function PaymentDone({ result, onClose }: { result: PaymentResult; onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const language = currentLanguage();
  const labels: Record<string, string> = t('customers.payType', { returnObjects: true });
  const name = result.customer.name;
  const klass = className(result.class, language);
  const recorded = t('payment.recorded', {
    name,
    payType: labels[result.payment.payType] ?? result.payment.payType,
    amount: formatMoney(result.payment.paidFee, language),
    class: klass,
  });
  return (
    <Result
      status="success"
      style={{ padding: '16px 0 0' }}
      title={
        result.enrolledNow
          ? t('payment.enrolledNow', { name, class: klass })
          : t(result.enrolled ? 'payment.stillEnrolled' : 'payment.notYetEnrolled', { name })
      }
      subTitle={
        <>
          <Typography.Paragraph style={{ marginBottom: 4 }}>{recorded}</Typography.Paragraph>
          <Typography.Text type="secondary">{t('payment.toConfirm')}</Typography.Text>
        </>
      }
      extra={[
        <Button
          key="student"
          type="primary"
          onClick={() => {
            onClose();
            // The customer's page shows the student it became (its classes), to whoever may read it.
            void navigate(`/customers/${result.customer.id}#student`);
          }}
          data-testid="payment-view-student"
        >
          {t('payment.viewStudent')}
        </Button>,
        <Button key="close" onClick={onClose} data-testid="payment-close">
          {t('payment.close')}
        </Button>,
      ]}
      data-testid="payment-result"
    />
  );
}
