import { MessageOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Form, Input, Modal, Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../app/time.ts';
import { describeError, showFieldErrors } from '../../components/resource/errors.ts';
import { type FollowUpChannel, type FollowUpResult, followUpChannels, useAddFollowUp } from './api.ts';

type Values = { channel: FollowUpChannel; note: string };
const initialValues: Values = { channel: 'phone', note: '' };
const fieldKeys = ['channel', 'note'];

/** The channel and the note of a follow-up, as fields of the surrounding antd Form. */
function FollowUpFields({ autoFocus = false }: { autoFocus?: boolean }) {
  const { t } = useTranslation();
  const labels: Record<string, string> = t('customers.channel', { returnObjects: true });
  return (
    <>
      <Form.Item name="channel" label={t('followUp.channel')} rules={[{ required: true }]}>
        <Select
          aria-label={t('followUp.channel')}
          options={followUpChannels.map((channel) => ({ value: channel, label: labels[channel] ?? channel }))}
          style={{ width: 160 }}
          data-testid="follow-up-channel"
        />
      </Form.Item>
      <Form.Item
        name="note"
        label={t('followUp.note')}
        rules={[{ required: true, whitespace: true, message: t('followUp.noteRequired') }]}
      >
        <Input.TextArea
          autoFocus={autoFocus}
          autoSize={{ minRows: 2, maxRows: 6 }}
          maxLength={5000}
          placeholder={t('followUp.notePlaceholder')}
          data-testid="follow-up-note"
        />
      </Form.Item>
    </>
  );
}

/** The words for what a follow-up did to the release clock. */
function useClockText() {
  const { t } = useTranslation();
  return (result: FollowUpResult) =>
    result.clockMoved
      ? result.releaseAt
        ? t('followUp.clockMovedUntil', { at: formatDateTime(result.releaseAt) })
        : t('followUp.clockMoved')
      : t('followUp.clockKept');
}

/**
 * The compact follow-up form of a customer's page, above its timeline. After a post the customer,
 * its timeline and every list refresh, and the form says whether the release clock restarted
 * (only the owner's follow-up before the deadline restarts it, docs/spec.md §3).
 */
export function FollowUpForm({ customerId }: { customerId: number }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const add = useAddFollowUp();
  const clockText = useClockText();
  const [result, setResult] = useState<FollowUpResult | null>(null);

  const submit = async (values: Values) => {
    try {
      const answer = await add.mutateAsync({ customerId, channel: values.channel, note: values.note.trim() });
      setResult(answer);
      form.resetFields();
      message.success(t('followUp.saved'));
    } catch (error) {
      setResult(null);
      if (!showFieldErrors(form, error, fieldKeys, t)) message.error(describeError(error, t));
    }
  };

  return (
    <Card size="small" title={t('followUp.title')} data-testid="follow-up-form">
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={initialValues}
        onFinish={(values) => void submit(values)}
        requiredMark={false}
      >
        <FollowUpFields />
        <Button
          type="primary"
          htmlType="submit"
          icon={<MessageOutlined />}
          loading={add.isPending}
          data-testid="follow-up-submit"
        >
          {t('followUp.submit')}
        </Button>
      </Form>
      {result && (
        <Alert
          style={{ marginTop: 12 }}
          type={result.clockMoved ? 'success' : 'info'}
          showIcon
          title={clockText(result)}
          closable={{ onClose: () => setResult(null) }}
          data-testid="follow-up-result"
        />
      )}
    </Card>
  );
}

/** A quick follow-up in a small dialog (from "my customers"); closes itself when posted. */
export function FollowUpModal({
  customer,
  onClose,
}: {
  customer: { id: number; name: string } | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const add = useAddFollowUp();
  const clockText = useClockText();

  const submit = async (values: Values) => {
    if (!customer) return;
    try {
      const answer = await add.mutateAsync({
        customerId: customer.id,
        channel: values.channel,
        note: values.note.trim(),
      });
      if (answer.clockMoved) message.success(clockText(answer));
      else message.info(clockText(answer));
      onClose();
    } catch (error) {
      if (!showFieldErrors(form, error, fieldKeys, t)) message.error(describeError(error, t));
    }
  };

  return (
    <Modal
      open={customer !== null}
      title={t('followUp.modalTitle', { name: customer?.name ?? '' })}
      okText={t('followUp.submit')}
      cancelText={t('resource.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={add.isPending}
      destroyOnHidden
      rootClassName="follow-up-modal"
    >
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={initialValues}
        onFinish={(values) => void submit(values)}
        requiredMark={false}
        preserve={false}
      >
        <FollowUpFields autoFocus />
      </Form>
    </Modal>
  );
}
