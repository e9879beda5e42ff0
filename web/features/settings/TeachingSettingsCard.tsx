import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Card, Form, InputNumber } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError, showFieldErrors } from '../../components/resource/errors.ts';
import { useConfirmLeave } from '../../components/useConfirmLeave.ts';
import {
  saveTeachingSettings,
  type TeachingSettings,
  teachingSettingsKey,
  useTeachingSettings,
} from './api.ts';
import { SaveUndo } from './SaveUndo.tsx';

const fieldKeys = ['absenceStreakLessons'];

/**
 * The teaching rule beside the pool's: how many lessons in a row a student may miss before the class
 * page and the tutor's home page raise an alert and the tutor is told. Saved on its own, since it
 * has nothing to do with the customers the pool form recomputes.
 */
export function TeachingSettingsCard({ canEdit }: { canEdit: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const settings = useTeachingSettings();
  const [form] = Form.useForm<TeachingSettings>();
  const [dirty, setDirty] = useState(false);
  const [saving, setSaving] = useState(false);
  useConfirmLeave(dirty);

  if (settings.isError) return <Alert type="error" showIcon title={describeError(settings.error, t)} />;
  if (!settings.data) return <Card size="small" loading title={t('teachingSettings.title')} />;
  const current = settings.data;

  const save = async (values: TeachingSettings) => {
    setSaving(true);
    try {
      const answer = await saveTeachingSettings({ absenceStreakLessons: values.absenceStreakLessons });
      queryClient.setQueryData(teachingSettingsKey, answer.settings);
      form.setFieldsValue(answer.settings);
      setDirty(false);
      message.success(t('teachingSettings.saved'));
    } catch (error) {
      if (!showFieldErrors(form, error, fieldKeys, t)) message.error(describeError(error, t));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card size="small" title={t('teachingSettings.title')} data-testid="teaching-settings">
      <Form<TeachingSettings>
        form={form}
        layout="vertical"
        initialValues={current}
        disabled={!canEdit}
        onValuesChange={() => setDirty(true)}
        onFinish={(values) => void save(values)}
        requiredMark={false}
      >
        <Form.Item
          name="absenceStreakLessons"
          label={t('teachingSettings.absenceStreakLessons')}
          extra={t('teachingSettings.absenceStreakLessonsHelp')}
          rules={[{ required: true, message: t('poolSettings.required') }]}
        >
          <InputNumber
            min={1}
            max={50}
            precision={0}
            suffix={t('teachingSettings.lessonsUnit')}
            style={{ width: 160 }}
            data-testid="absenceStreakLessons"
          />
        </Form.Item>
        {canEdit && (
          <SaveUndo
            dirty={dirty}
            saving={saving}
            testId="teaching-settings-save"
            onUndo={() => {
              form.setFieldsValue(current);
              setDirty(false);
            }}
          />
        )}
      </Form>
    </Card>
  );
}
