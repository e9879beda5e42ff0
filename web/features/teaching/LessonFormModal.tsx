import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  type ButtonProps,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Modal,
  Switch,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import type { Item } from '../../api/resource.ts';
import { schoolNow } from '../../app/time.ts';
import { describeError, showFieldErrors } from '../../components/resource/errors.ts';
import { useResourceMutations } from '../../components/resource/useResource.ts';
import { teachingKeys } from './classApi.ts';

type Values = {
  dayNum: number;
  date: Dayjs;
  title?: string;
  hasHomework: boolean;
  homeworkTitle?: string;
  homeworkMemo?: string;
  exam?: string;
  memo?: string;
};

const fieldKeys = ['dayNum', 'date', 'title', 'hasHomework', 'homeworkTitle', 'homeworkMemo', 'exam', 'memo'];

/**
 * 新建上课记录 on the class page: `POST /api/course-records` with the class, which also creates the
 * lesson's study records (one per active student). The day number starts one after the class's
 * highest, the date at the school's today. Refusals go beside the fields they name, the way the
 * generic form shows them; a day number the class already has is refused before it is sent.
 */
export function LessonFormModal({
  classId,
  className,
  takenDays,
  defaultDayNum,
  onClose,
  onCreated,
}: {
  classId: number;
  className: string;
  /** Day numbers the class's lessons already have. */
  takenDays: number[];
  defaultDayNum: number;
  onClose: () => void;
  /** After the save, with the new lesson; the caller says how many study records it got. */
  onCreated: (lesson: Item) => Promise<void> | void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const { create } = useResourceMutations('course-records');
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const hasHomework = Form.useWatch('hasHomework', form);

  const submit = async (values: Values) => {
    setError(null);
    const text = (value: string | undefined) => value?.trim() ?? '';
    const body: Record<string, unknown> = {
      classId,
      dayNum: values.dayNum,
      date: values.date.format('YYYY-MM-DD'),
      title: text(values.title),
      hasHomework: values.hasHomework,
      homeworkTitle: values.hasHomework ? text(values.homeworkTitle) : '',
      homeworkMemo: values.hasHomework ? text(values.homeworkMemo) : '',
      exam: text(values.exam),
      memo: text(values.memo),
    };
    try {
      const lesson = await create.mutateAsync(body);
      await onCreated(lesson);
      onClose();
    } catch (failure) {
      // The class's (class, day number) is unique: the database's refusal names its constraint.
      // Someone added that lesson meanwhile: say so on the field, and show it in the lessons behind.
      if (failure instanceof ApiError && failure.code === 'duplicate' && /day/.test(failure.message)) {
        form.setFields([{ name: 'dayNum', errors: [t('classPage.form.dayTaken', { day: values.dayNum })] }]);
        void queryClient.invalidateQueries({ queryKey: teachingKeys.classStats(classId) });
        return;
      }
      if (!showFieldErrors(form, failure, fieldKeys, t)) setError(describeError(failure, t));
    }
  };

  const required = (field: string) => ({ required: true, message: t('classPage.form.required', { field }) });

  return (
    <Modal
      open
      title={t('classPage.form.title', { name: className })}
      width={600}
      okText={t('classPage.form.submit')}
      cancelText={t('classPage.form.cancel')}
      okButtonProps={{ loading: create.isPending, 'data-testid': 'lesson-form-submit' } as ButtonProps}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      maskClosable={false}
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" />}
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={{ dayNum: defaultDayNum, date: schoolNow().startOf('day'), hasHomework: false }}
        onFinish={submit}
        onValuesChange={() => error && setError(null)}
        disabled={create.isPending}
        data-testid="lesson-form"
      >
        <div style={{ display: 'grid', gridTemplateColumns: '160px 1fr', columnGap: 16 }}>
          <Form.Item
            name="dayNum"
            label={t('classPage.form.dayNum')}
            rules={[
              required(t('classPage.form.dayNum')),
              {
                validator: async (_, value: number | null) => {
                  if (value != null && takenDays.includes(value)) {
                    throw new Error(t('classPage.form.dayTaken', { day: value }));
                  }
                },
              },
            ]}
          >
            <InputNumber min={1} max={9999} precision={0} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item
            name="date"
            label={t('classPage.form.date')}
            rules={[required(t('classPage.form.date'))]}
          >
            <DatePicker allowClear={false} style={{ width: '100%' }} />
          </Form.Item>
        </div>
        <Form.Item name="title" label={t('classPage.form.lessonTitle')} rules={[{ max: 200 }]}>
          <Input placeholder={t('classPage.form.lessonTitlePlaceholder')} maxLength={200} />
        </Form.Item>
        <Form.Item name="hasHomework" label={t('classPage.form.hasHomework')} valuePropName="checked">
          <Switch />
        </Form.Item>
        {hasHomework && (
          <>
            <Form.Item name="homeworkTitle" label={t('classPage.form.homeworkTitle')} rules={[{ max: 200 }]}>
              <Input maxLength={200} />
            </Form.Item>
            <Form.Item name="homeworkMemo" label={t('classPage.form.homeworkMemo')}>
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} />
            </Form.Item>
          </>
        )}
        <Form.Item name="exam" label={t('classPage.form.exam')}>
          <Input.TextArea
            autoSize={{ minRows: 2, maxRows: 6 }}
            placeholder={t('classPage.form.examPlaceholder')}
          />
        </Form.Item>
        <Form.Item name="memo" label={t('classPage.form.memo')}>
          <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} />
        </Form.Item>
      </Form>
      <Typography.Text type="secondary">{t('classPage.form.studyRecords')}</Typography.Text>
    </Modal>
  );
}
