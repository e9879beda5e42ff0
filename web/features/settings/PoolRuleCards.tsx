import { Card, Form, InputNumber, Space, Switch, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

/** The rules that are a whole number of days or customers (the cooldown may also be "never"). */
type NumberRule = 'followUpDays' | 'dealDays' | 'remindDaysBefore' | 'dailyGrabLimit' | 'maxOwned';

/**
 * The pool's rules as form items, each explained: the deadlines, then grabbing (the previous
 * owner's cooldown — "never" when switched off — and the limits).
 */
export function PoolRuleCards({ cooldown }: { cooldown: boolean | undefined }) {
  const { t } = useTranslation();
  const days = t('poolSettings.daysUnit');
  const people = t('poolSettings.customersUnit');
  const required = [{ required: true, message: t('poolSettings.required') }];
  const rule = (name: NumberRule, min: number, unit: string) => (
    <Form.Item
      name={name}
      label={t(`poolSettings.${name}`)}
      extra={t(`poolSettings.${name}Help`)}
      rules={required}
    >
      <InputNumber
        min={min}
        max={3650}
        precision={0}
        suffix={unit}
        style={{ width: 160 }}
        data-testid={name}
      />
    </Form.Item>
  );

  return (
    <>
      <Card size="small" title={t('poolSettings.deadlines')} style={{ marginBottom: 16 }}>
        {rule('followUpDays', 1, days)}
        {rule('dealDays', 1, days)}
        {rule('remindDaysBefore', 0, days)}
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
        {rule('dailyGrabLimit', 0, people)}
        {rule('maxOwned', 0, people)}
      </Card>
    </>
  );
}
