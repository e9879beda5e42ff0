import { LockOutlined, SaveOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Flex, Form, InputNumber, Space, Switch, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { resourceKeys } from '../../api/resource.ts';
import { useCurrentUser } from '../../app/useMe.ts';
import { useMenuTitle } from '../../app/useMenuTitle.ts';
import { PageLoading } from '../../components/PageLoading.tsx';
import { describeError, showFieldErrors } from '../../components/resource/errors.ts';
import { useConfirmLeave } from '../../components/useConfirmLeave.ts';

/** `GET/PUT /api/settings/pool` (server/modules/pool/routes.ts): the rules of docs/spec.md §3. */
export type PoolSettings = {
  followUpDays: number;
  dealDays: number;
  /** Null: the last owner may never grab a customer back. */
  previousOwnerCooldownDays: number | null;
  dailyGrabLimit: number;
  maxOwned: number;
  remindDaysBefore: number;
};

/** The form's values: the cooldown as a switch and a number, so that turning it off keeps the number. */
type Values = Omit<PoolSettings, 'previousOwnerCooldownDays'> & { cooldown: boolean; cooldownDays: number };

const settingsKey = ['settings', 'pool'] as const;
const fieldKeys = ['followUpDays', 'dealDays', 'dailyGrabLimit', 'maxOwned', 'remindDaysBefore'];

const toValues = (settings: PoolSettings): Values => {
  const { previousOwnerCooldownDays, ...rest } = settings;
  return {
    ...rest,
    cooldown: previousOwnerCooldownDays !== null,
    cooldownDays: previousOwnerCooldownDays ?? 7,
  };
};

const toSettings = ({ cooldown, cooldownDays, ...rest }: Values): PoolSettings => ({
  ...rest,
  previousOwnerCooldownDays: cooldown ? cooldownDays : null,
});

/**
 * The pool rules (公海规则): deadlines, grab limits, the previous owner's cooldown and reminders,
 * each explained. Read-only without `settings.pool_update`. Changing a deadline recomputes every
 * owned customer's release time on the server; the page says how many.
 */
export default function PoolSettingsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const pageTitle = useMenuTitle();
  const canEdit = useCurrentUser().permissions.includes('settings.pool_update');
  const [form] = Form.useForm<Values>();
  const [dirty, setDirty] = useState(false);
  const [recomputed, setRecomputed] = useState<number | null>(null);
  const [saving, setSaving] = useState(false);
  useConfirmLeave(dirty);

  const settings = useQuery({
    queryKey: settingsKey,
    queryFn: () => api.get<PoolSettings>('/settings/pool'),
  });
  const cooldown = Form.useWatch('cooldown', form);

  if (settings.isError) return <Alert type="error" showIcon title={describeError(settings.error, t)} />;
  if (!settings.data) return <PageLoading />;
  const current = settings.data;

  const save = async (values: Values) => {
    setSaving(true);
    try {
      const answer = await api.put<{ settings: PoolSettings; recomputed: number }>(
        '/settings/pool',
        toSettings(values),
      );
      queryClient.setQueryData(settingsKey, answer.settings);
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

  const days = t('poolSettings.daysUnit');
  const people = t('poolSettings.customersUnit');
  const number = (min: number, unit: string, testId: string) => (
    <InputNumber
      min={min}
      max={3650}
      precision={0}
      suffix={unit}
      style={{ width: 160 }}
      data-testid={testId}
    />
  );

  return (
    <Flex vertical gap={16} style={{ maxWidth: 760 }} data-testid="pool-settings">
      <Typography.Title level={4} style={{ margin: 0 }}>
        {pageTitle ?? t('poolSettings.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('poolSettings.intro')}
      </Typography.Paragraph>
      {!canEdit && <Alert type="info" showIcon icon={<LockOutlined />} title={t('poolSettings.readOnly')} />}
      <Form<Values>
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
        <Card size="small" title={t('poolSettings.deadlines')} style={{ marginBottom: 16 }}>
          <Form.Item
            name="followUpDays"
            label={t('poolSettings.followUpDays')}
            extra={t('poolSettings.followUpDaysHelp')}
            rules={[{ required: true, message: t('poolSettings.required') }]}
          >
            {number(1, days, 'followUpDays')}
          </Form.Item>
          <Form.Item
            name="dealDays"
            label={t('poolSettings.dealDays')}
            extra={t('poolSettings.dealDaysHelp')}
            rules={[{ required: true, message: t('poolSettings.required') }]}
          >
            {number(1, days, 'dealDays')}
          </Form.Item>
          <Form.Item
            name="remindDaysBefore"
            label={t('poolSettings.remindDaysBefore')}
            extra={t('poolSettings.remindDaysBeforeHelp')}
            rules={[{ required: true, message: t('poolSettings.required') }]}
          >
            {number(0, days, 'remindDaysBefore')}
          </Form.Item>
        </Card>
        <Card size="small" title={t('poolSettings.grabbing')} style={{ marginBottom: 16 }}>
          <Form.Item label={t('poolSettings.cooldown')} extra={t('poolSettings.cooldownHelp')}>
            <Space wrap align="center">
              <Form.Item name="cooldown" valuePropName="checked" noStyle>
                <Switch data-testid="cooldown-switch" />
              </Form.Item>
              {cooldown ? (
                <Space size={6} align="center">
                  {t('poolSettings.cooldownBefore')}
                  <Form.Item
                    name="cooldownDays"
                    noStyle
                    rules={[{ required: true, message: t('poolSettings.required') }]}
                  >
                    <InputNumber
                      min={0}
                      max={3650}
                      precision={0}
                      style={{ width: 96 }}
                      data-testid="cooldownDays"
                    />
                  </Form.Item>
                  {t('poolSettings.cooldownAfter')}
                </Space>
              ) : (
                <Typography.Text type="secondary">{t('poolSettings.cooldownNever')}</Typography.Text>
              )}
            </Space>
          </Form.Item>
          <Form.Item
            name="dailyGrabLimit"
            label={t('poolSettings.dailyGrabLimit')}
            extra={t('poolSettings.dailyGrabLimitHelp')}
            rules={[{ required: true, message: t('poolSettings.required') }]}
          >
            {number(0, people, 'dailyGrabLimit')}
          </Form.Item>
          <Form.Item
            name="maxOwned"
            label={t('poolSettings.maxOwned')}
            extra={t('poolSettings.maxOwnedHelp')}
            rules={[{ required: true, message: t('poolSettings.required') }]}
          >
            {number(0, people, 'maxOwned')}
          </Form.Item>
        </Card>
        {canEdit && (
          <Space align="center" wrap>
            <Button
              type="primary"
              htmlType="submit"
              icon={<SaveOutlined />}
              loading={saving}
              disabled={!dirty}
              data-testid="pool-settings-save"
            >
              {t('resource.save')}
            </Button>
            <Button
              disabled={!dirty || saving}
              onClick={() => {
                form.setFieldsValue(toValues(current));
                setDirty(false);
              }}
            >
              {t('poolSettings.undo')}
            </Button>
            {recomputed !== null && (
              <Typography.Text type="success" data-testid="pool-settings-recomputed">
                {t('poolSettings.saved', { count: recomputed })}
              </Typography.Text>
            )}
          </Space>
        )}
      </Form>
    </Flex>
  );
}
