import { App, Form, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import { describeError, showFieldErrors } from '../../components/resource/errors.ts';
import { useAddFollowUp } from './api.ts';
import {
  FollowUpFields,
  type FollowUpValues,
  followUpFieldKeys,
  initialFollowUpValues,
  useClockText,
} from './FollowUpFields.tsx';

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
  const [form] = Form.useForm<FollowUpValues>();
  const add = useAddFollowUp();
  const clockText = useClockText();

  const submit = async (values: FollowUpValues) => {
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
      if (!showFieldErrors(form, error, followUpFieldKeys, t)) message.error(describeError(error, t));
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
      <Form<FollowUpValues>
        form={form}
        layout="vertical"
        initialValues={initialFollowUpValues}
        onFinish={(values) => void submit(values)}
        requiredMark={false}
        preserve={false}
      >
        <FollowUpFields autoFocus />
      </Form>
    </Modal>
  );
}
