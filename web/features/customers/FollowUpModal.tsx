import { App, Form, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  FollowUpFields,
  type FollowUpValues,
  initialFollowUpValues,
  useClockText,
  usePostFollowUp,
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
  const { post, posting } = usePostFollowUp(form);
  const clockText = useClockText();

  const submit = async (values: FollowUpValues) => {
    if (!customer) return;
    const answer = await post(customer.id, values);
    if (!answer) return;
    if (answer.clockMoved) message.success(clockText(answer));
    else message.info(clockText(answer));
    onClose();
  };

  return (
    <Modal
      open={customer !== null}
      title={t('followUp.modalTitle', { name: customer?.name ?? '' })}
      okText={t('followUp.submit')}
      cancelText={t('resource.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={posting}
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
