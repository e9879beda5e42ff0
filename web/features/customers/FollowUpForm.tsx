import { MessageOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Form } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FollowUpResult } from './api.ts';
import {
  FollowUpFields,
  type FollowUpValues,
  initialFollowUpValues,
  useClockText,
  usePostFollowUp,
} from './FollowUpFields.tsx';

/**
 * The compact follow-up form of a customer's page, above its timeline. After a post the customer,
 * its timeline and every list refresh, and the form says whether the release clock restarted
 * (only the owner's follow-up before the deadline restarts it, docs/spec.md §3).
 */
export function FollowUpForm({ customerId }: { customerId: number }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<FollowUpValues>();
  const { post, posting } = usePostFollowUp(form);
  const clockText = useClockText();
  const [result, setResult] = useState<FollowUpResult | null>(null);

  const submit = async (values: FollowUpValues) => {
    const answer = await post(customerId, values);
    setResult(answer);
    if (!answer) return;
    form.resetFields();
    message.success(t('followUp.saved'));
  };

  return (
    <Card size="small" title={t('followUp.title')} data-testid="follow-up-form">
      <Form<FollowUpValues>
        form={form}
        layout="vertical"
        initialValues={initialFollowUpValues}
        onFinish={(values) => void submit(values)}
        requiredMark={false}
      >
        <FollowUpFields />
        <Button
          type="primary"
          htmlType="submit"
          icon={<MessageOutlined />}
          loading={posting}
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
