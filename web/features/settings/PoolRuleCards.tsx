import { Card, Form, InputNumber, Space, Switch, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

/**
 * The pool's rules as form items, each explained: the deadlines, then grabbing (the previous
 * owner's cooldown — "never" when switched off — and the limits).
 */
export function PoolRuleCards({ cooldown }: { cooldown: boolean | undefined }) {
  const { t } = useTranslation();
  const days = t('poolSettings.daysUnit');
  const people = t('poolSettings.customersUnit');
  const required = [{ required: true, message: t('poolSettings.required') }];
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
    <>
      <Card size="small" title={t('poolSettings.deadlines')} style={{ marginBottom: 16 }}>
        <Form.Item
          name="followUpDays"
          label={t('poolSettings.followUpDays')}
          extra={t('poolSettings.followUpDaysHelp')}
          rules={required}
        >
          {number(1, days, 'followUpDays')}
        </Form.Item>
        <Form.Item
          name="dealDays"
          label={t('poolSettings.dealDays')}
          extra={t('poolSettings.dealDaysHelp')}
          rules={required}
        >
          {number(1, days, 'dealDays')}
        </Form.Item>
        <Form.Item
          name="remindDaysBefore"
          label={t('poolSettings.remindDaysBefore')}
          extra={t('poolSettings.remindDaysBeforeHelp')}
          rules={required}
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
                <Form.Item name="cooldownDays" noStyle rules={required}>
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
          rules={required}
        >
          {number(0, people, 'dailyGrabLimit')}
        </Form.Item>
        <Form.Item
          name="maxOwned"
          label={t('poolSettings.maxOwned')}
          extra={t('poolSettings.maxOwnedHelp')}
          rules={required}
        >
          {number(0, people, 'maxOwned')}
        </Form.Item>
      </Card>
    </>
  );
}
