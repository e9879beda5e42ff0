import { App, Form, type FormInstance, Input, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../app/time.ts';
import { describeError, showFieldErrors } from '../../components/resource/errors.ts';
import { type FollowUpChannel, type FollowUpResult, followUpChannels, useAddFollowUp } from './api.ts';

export type FollowUpValues = { channel: FollowUpChannel; note: string };
export const initialFollowUpValues: FollowUpValues = { channel: 'phone', note: '' };
const followUpFieldKeys = ['channel', 'note'];

/**
 * Posts the follow-up a form holds: the answer says what it did to the release clock; a refusal
 * is shown beside its field (or as a message) and answers null.
 */
export function usePostFollowUp(form: FormInstance<FollowUpValues>) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const add = useAddFollowUp();
  const post = async (customerId: number, values: FollowUpValues): Promise<FollowUpResult | null> => {
    try {
      return await add.mutateAsync({ customerId, channel: values.channel, note: values.note.trim() });
    } catch (error) {
      if (!showFieldErrors(form, error, followUpFieldKeys, t)) message.error(describeError(error, t));
      return null;
    }
  };
  return { post, posting: add.isPending };
}

/** The channel and the note of a follow-up, as fields of the surrounding antd Form. */
export function FollowUpFields({ autoFocus = false }: { autoFocus?: boolean }) {
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
export function useClockText() {
  const { t } = useTranslation();
  return (result: FollowUpResult) =>
    result.clockMoved
      ? result.releaseAt
        ? t('followUp.clockMovedUntil', { at: formatDateTime(result.releaseAt) })
        : t('followUp.clockMoved')
      : t('followUp.clockKept');
}
