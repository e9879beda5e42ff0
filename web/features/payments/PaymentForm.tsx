import { PayCircleOutlined } from '@ant-design/icons';
import { App, Button, Form, Input, InputNumber, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { describeError, showFieldErrors } from '../../components/resource/errors.ts';
import { RefSelect } from '../../components/resource/RefSelect.tsx';
import { type PayingCustomer, type PaymentResult, payTypesFor, useRecordPayment } from './api.ts';
import {
  classField,
  initialPaymentValues,
  type PaymentValues,
  paymentFieldKeys,
  paymentInput,
  refusedField,
} from './values.ts';

const MAX_MONEY = '9999999999.99';

/** The payment's class, kind, amounts and note; what it did is handed to `onRecorded`. */
export function PaymentForm({
  customer,
  onCancel,
  onRecorded,
}: {
  customer: PayingCustomer;
  onCancel: () => void;
  onRecorded: (result: PaymentResult) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<PaymentValues>();
  const record = useRecordPayment();
  const allowed = payTypesFor(customer.status);
  const labels: Record<string, string> = t('customers.payType', { returnObjects: true });

  const submit = async (values: PaymentValues) => {
    try {
      onRecorded(await record.mutateAsync(paymentInput(customer.id, values)));
    } catch (error) {
      // The refusals that concern one field are shown beside it.
      const field = refusedField(error);
      if (field) form.setFields([{ name: field, errors: [describeError(error, t)] }]);
      else if (!showFieldErrors(form, error, paymentFieldKeys, t)) message.error(describeError(error, t));
    }
  };

  const money = (testId: string) => (
    <InputNumber<string>
      stringMode
      min="0"
      max={MAX_MONEY}
      precision={2}
      prefix="¥"
      style={{ width: '100%' }}
      data-testid={testId}
    />
  );

  return (
    <Form<PaymentValues>
      form={form}
      layout="vertical"
      requiredMark={false}
      initialValues={initialPaymentValues}
      onFinish={(values) => void submit(values)}
      data-testid="payment-form"
    >
      <Form.Item
        name="classId"
        label={t('payment.class')}
        rules={[{ required: true, message: t('payment.classRequired') }]}
      >
        <RefSelect
          field={classField}
          pickParams={{ open: 'true' }}
          placeholder={t('payment.classPlaceholder')}
          data-testid="payment-class"
        />
      </Form.Item>
      <Form.Item
        name="payType"
        label={t('payment.payType')}
        rules={[{ required: true, message: t('payment.payTypeRequired') }]}
        extra={allowed.length < 5 ? t('payment.payTypeHint') : undefined}
      >
        <Select
          options={allowed.map((type) => ({ value: type, label: labels[type] ?? type }))}
          data-testid="payment-type"
        />
      </Form.Item>
      <Form.Item
        name="paidFee"
        label={t('payment.paidFee')}
        rules={[{ required: true, message: t('payment.paidFeeRequired') }]}
      >
        {money('payment-fee')}
      </Form.Item>
      <div style={{ display: 'flex', gap: 16 }}>
        <Form.Item name="quote" label={t('payment.quote')} style={{ flex: 1 }}>
          {money('payment-quote')}
        </Form.Item>
        <Form.Item name="turnover" label={t('payment.turnover')} style={{ flex: 1 }}>
          {money('payment-turnover')}
        </Form.Item>
      </div>
      <Form.Item name="note" label={t('payment.note')}>
        <Input.TextArea
          autoSize={{ minRows: 2, maxRows: 4 }}
          maxLength={2000}
          placeholder={t('payment.notePlaceholder')}
          data-testid="payment-note"
        />
      </Form.Item>
      <div style={{ display: 'flex', justifyContent: 'flex-end', gap: 8 }}>
        <Button onClick={onCancel}>{t('resource.cancel')}</Button>
        <Button
          type="primary"
          htmlType="submit"
          icon={<PayCircleOutlined />}
          loading={record.isPending}
          data-testid="payment-submit"
        >
          {t('payment.submit')}
        </Button>
      </div>
    </Form>
  );
}
