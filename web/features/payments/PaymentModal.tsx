import { PayCircleOutlined } from '@ant-design/icons';
import { App, Button, Form, Input, InputNumber, Modal, Result, Select, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ApiError } from '../../api/client.ts';
import type { Field } from '../../api/resource.ts';
import { describeError, showFieldErrors } from '../../components/resource/errors.ts';
import { RefSelect } from '../../components/resource/RefSelect.tsx';
import { currentLanguage } from '../../i18n/index.ts';
import { formatMoney } from '../customers/timeline.ts';
import { className, type PaymentResult, type PayType, payTypesFor, useRecordPayment } from './api.ts';

/** The customer a payment is for, as any list row or page has it. */
export type PayingCustomer = { id: number; name: string; status?: unknown };

type Values = {
  classId: number | null;
  payType: PayType;
  paidFee: string | null;
  quote: string | null;
  turnover: string | null;
  note: string;
};
const fieldKeys = ['classId', 'payType', 'paidFee', 'quote', 'turnover', 'note'];
const MAX_MONEY = '9999999999.99';

/** The class picker: classes open for enrolment, named in the user's language. */
const classField: Field = {
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

function PaymentForm({
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
  const [form] = Form.useForm<Values>();
  const record = useRecordPayment();
  const allowed = payTypesFor(customer.status);
  const labels: Record<string, string> = t('customers.payType', { returnObjects: true });

  const submit = async (values: Values) => {
    try {
      const answer = await record.mutateAsync({
        customerId: customer.id,
        classId: Number(values.classId),
        payType: values.payType,
        paidFee: String(values.paidFee),
        quote: values.quote === null || values.quote === undefined ? null : String(values.quote),
        turnover: values.turnover === null || values.turnover === undefined ? null : String(values.turnover),
        note: values.note?.trim() ?? '',
      });
      onRecorded(answer);
    } catch (error) {
      // The refusals that concern one field are shown beside it.
      const field =
        error instanceof ApiError
          ? ({ class_closed: 'classId', not_in_class: 'classId', not_enrolled: 'payType' } as const)[
              error.code as 'class_closed'
            ]
          : undefined;
      if (field) form.setFields([{ name: field, errors: [describeError(error, t)] }]);
      else if (!showFieldErrors(form, error, fieldKeys, t)) message.error(describeError(error, t));
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
    <Form<Values>
      form={form}
      layout="vertical"
      requiredMark={false}
      initialValues={{
        classId: null,
        payType: 'deposit',
        paidFee: null,
        quote: null,
        turnover: null,
        note: '',
      }}
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

/** What the payment did, in words, and the way to the student. */
function PaymentDone({ result, onClose }: { result: PaymentResult; onClose: () => void }) {
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
