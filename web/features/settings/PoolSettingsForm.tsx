import { useQueryClient } from '@tanstack/react-query';
import { App, Form, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { resourceKeys } from '../../api/resource.ts';
import { describeError, showFieldErrors } from '../../components/resource/errors.ts';
import { useConfirmLeave } from '../../components/useConfirmLeave.ts';
import { type PoolSettings, poolSettingsKey, savePoolSettings } from './api.ts';
import { PoolRuleCards } from './PoolRuleCards.tsx';
import { SaveUndo } from './SaveUndo.tsx';
import { fieldKeys, type PoolSettingsValues, toSettings, toValues } from './values.ts';

/**
 * The rules as saved, changed and saved again (or put back); leaving with changes asks first. After
 * a save the form says how many release times were recomputed, until the next change.
 */
export function PoolSettingsForm({ current, canEdit }: { current: PoolSettings; canEdit: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<PoolSettingsValues>();
  const [dirty, setDirty] = useState(false);
  const [recomputed, setRecomputed] = useState<number | null>(null);
  const [saving, setSaving] = useState(false);
  useConfirmLeave(dirty);
  const cooldown = Form.useWatch('cooldown', form);

  const save = async (values: PoolSettingsValues) => {
    setSaving(true);
    try {
      const answer = await savePoolSettings(toSettings(values));
      queryClient.setQueryData(poolSettingsKey, answer.settings);
      form.setFieldsValue(toValues(answer.settings));
      setDirty(false);
      setRecomputed(answer.recomputed);
      message.success(t('poolSettings.saved', { count: answer.recomputed }));
      // Release times may have moved: the pool and every customer list with them.
      void queryClient.invalidateQueries({ queryKey: resourceKeys.all });
    } catch (error) {
      if (!showFieldErrors(form, error, fieldKeys, t)) message.error(describeError(error, t));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Form<PoolSettingsValues>
      form={form}
      layout="vertical"
      initialValues={toValues(current)}
      disabled={!canEdit}
      onValuesChange={() => {
        setDirty(true);
        setRecomputed(null);
      }}
      onFinish={(values) => void save(values)}
      requiredMark={false}
    >
      <PoolRuleCards cooldown={cooldown} />
      {canEdit && (
        <SaveUndo
          dirty={dirty}
          saving={saving}
          testId="pool-settings-save"
          onUndo={() => {
            form.setFieldsValue(toValues(current));
            setDirty(false);
          }}
        >
          {recomputed !== null && (
            <Typography.Text type="success" data-testid="pool-settings-recomputed">
              {t('poolSettings.saved', { count: recomputed })}
            </Typography.Text>
          )}
        </SaveUndo>
      )}
    </Form>
  );
}
