import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, templateIds } from './config.ts';

/** The notification settings (docs/spec.md §8.5): a provider is configured whole, or not at all. */
const base = { CRM_SECRET: 'config-test-secret-0123456789', CRM_DATA_DIR: '/nonexistent' };
const load = (env: Record<string, string>) => loadConfig({ ...base, ...env });

describe('the notification settings', () => {
  it('leaves every provider unconfigured by default, with the worker on', () => {
    const { notify } = load({});
    expect(notify).toMatchObject({
      worker: true,
      retryBaseSeconds: 30,
      maxAttempts: 8,
      timeoutMs: 10_000,
      email: null,
      dingtalk: null,
      wechat: null,
      sms: null,
    });
  });

  it('reads a whole provider, its defaults and its templates per event', () => {
    const { notify } = load({
      WECHAT_APP_ID: 'wx1',
      WECHAT_APP_SECRET: 's3cret',
      WECHAT_TEMPLATE_IDS: 'grab_won=T1, customer_assigned=T2',
      SMTP_URL: 'smtp://u:p@mail.example.edu:587',
    });
    expect(notify.wechat).toEqual({
      appId: 'wx1',
      appSecret: 's3cret',
      apiBase: 'https://api.weixin.qq.com',
      openBase: 'https://open.weixin.qq.com',
      templates: { grab_won: 'T1', customer_assigned: 'T2' },
    });
    expect(notify.email).toEqual({
      smtpUrl: 'smtp://u:p@mail.example.edu:587',
      from: 'Banyan CRM <crm@localhost>',
    });
  });

  it('refuses a provider given only some of its settings, naming what is missing', () => {
    expect(() => load({ WECHAT_APP_ID: 'wx1' })).toThrow(ConfigError);
    expect(() => load({ WECHAT_APP_ID: 'wx1' })).toThrow('WECHAT_APP_SECRET must be set with WECHAT_APP_ID');
    expect(() => load({ ALIYUN_SMS_ACCESS_KEY_ID: 'k' })).toThrow(
      /ALIYUN_SMS_ACCESS_KEY_SECRET, ALIYUN_SMS_SIGN_NAME/,
    );
  });

  it('refuses addresses and numbers that cannot be right', () => {
    expect(() => load({ SMTP_URL: 'mail.example.edu' })).toThrow(
      'SMTP_URL must start with smtp:// or smtps://',
    );
    expect(() => load({ DINGTALK_ROBOT_WEBHOOK: 'oapi.dingtalk.com/robot' })).toThrow(
      /DINGTALK_ROBOT_WEBHOOK/,
    );
    expect(() => load({ CRM_NOTIFY_RETRY_BASE_SECONDS: '0' })).toThrow(/CRM_NOTIFY_RETRY_BASE_SECONDS/);
    expect(() => templateIds({ X: 'grab_won' }, 'X')).toThrow('X must be event=id pairs separated by commas');
  });
});
