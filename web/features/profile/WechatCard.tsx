import { CheckCircleFilled, ReloadOutlined, WechatOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Flex, Image, Popconfirm, Skeleton, Typography, theme } from 'antd';
import { type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../components/resource/errors.ts';
import { useNow } from '../pool/useNow.ts';
import { fetchQrCode, type NotifySettings, type QrCode, useUnbindWechat } from './api.ts';

/**
 * My WeChat binding: bound, with an unbind button; or the QR code to scan, renewed when it expires,
 * while the page watches for the scan (`onWatch`) to say "bound" the moment it happens; or why it
 * cannot be bound (the school has no official account set up, or no public address).
 */
export function WechatCard({
  settings,
  onWatch,
}: {
  settings: NotifySettings;
  onWatch: (watching: boolean) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { token } = theme.useToken();
  const unbind = useUnbindWechat();
  const configured = settings.configured.find((c) => c.channel === 'wechat')?.configured ?? false;
  const bound = settings.wechatBound;
  const wasBound = useRef(bound);

  useEffect(() => {
    if (bound && !wasBound.current) message.success(t('profile.justBound'));
    wasBound.current = bound;
  }, [bound, message, t]);

  let body: ReactNode;
  if (bound) {
    body = (
      <Flex vertical gap={12} align="flex-start" data-testid="wechat-bound">
        <Flex gap={8} align="center">
          <CheckCircleFilled style={{ color: token.colorSuccess, fontSize: 20 }} />
          <Typography.Text strong>{t('profile.wechatBound')}</Typography.Text>
        </Flex>
        <Typography.Text type="secondary">{t('profile.wechatBoundHint')}</Typography.Text>
        <Popconfirm
          title={t('profile.unbindConfirm')}
          okText={t('profile.unbind')}
          cancelText={t('resource.cancel')}
          okButtonProps={{ danger: true }}
          onConfirm={() =>
            unbind.mutateAsync().then(
              () => void message.success(t('profile.unbound')),
              (error: unknown) => void message.error(describeError(error, t)),
            )
          }
        >
          <Button danger loading={unbind.isPending} data-testid="wechat-unbind">
            {t('profile.unbind')}
          </Button>
        </Popconfirm>
      </Flex>
    );
  } else if (!configured) {
    body = <Alert type="info" showIcon title={t('profile.wechatUnavailable')} />;
  } else {
    body = <BindingQrCode onWatch={onWatch} />;
  }

  return (
    <Card
      title={
        <Flex gap={8} align="center">
          <WechatOutlined style={{ color: configured ? '#07c160' : token.colorTextDisabled }} />
          {t('profile.wechatTitle')}
        </Flex>
      }
      style={{ height: '100%' }}
      data-testid="profile-wechat"
    >
      {body}
    </Card>
  );
}

const QR_SIZE = 200;

/** The QR code, fetched anew when it expires (or on demand); the page watches for the scan meanwhile. */
function BindingQrCode({ onWatch }: { onWatch: (watching: boolean) => void }) {
  const { t } = useTranslation();
  const [code, setCode] = useState<QrCode | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const clock = useNow(1_000);

  const load = useCallback(async (signal?: AbortSignal) => {
    setLoading(true);
    try {
      const next = await fetchQrCode(signal);
      setCode(next);
      setError(null);
    } catch (caught) {
      if (!signal?.aborted) setError(caught);
    } finally {
      if (!signal?.aborted) setLoading(false);
    }
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    void load(controller.signal);
    return () => controller.abort();
  }, [load]);

  // Each image is an object URL: freed when replaced or when the card goes.
  useEffect(() => {
    if (!code) return;
    return () => URL.revokeObjectURL(code.src);
  }, [code]);

  // Watch for the scan while a good code is shown.
  const showing = code !== null && error === null;
  useEffect(() => {
    onWatch(showing);
    return () => onWatch(false);
  }, [showing, onWatch]);

  const left = code ? code.expiresAt - clock : 0;
  useEffect(() => {
    if (code && left <= 0 && !loading) void load();
  }, [code, left, loading, load]);

  if (error)
    return <Alert type="warning" showIcon title={describeError(error, t)} data-testid="wechat-error" />;

  const seconds = Math.max(0, Math.ceil(left / 1000));
  const time = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
  return (
    <Flex gap={20} align="center" wrap data-testid="wechat-qrcode">
      {code ? (
        <Image
          src={code.src}
          alt={t('profile.qrAlt')}
          width={QR_SIZE}
          height={QR_SIZE}
          preview={false}
          style={{ opacity: loading ? 0.4 : 1 }}
        />
      ) : (
        <Skeleton.Image active style={{ width: QR_SIZE, height: QR_SIZE }} />
      )}
      <Flex vertical gap={8} style={{ flex: '1 1 160px', minWidth: 160 }}>
        <Typography.Text>{t('profile.scanHint')}</Typography.Text>
        {code && (
          <Typography.Text type="secondary" style={{ fontSize: 13 }}>
            {t('profile.expiresIn', { time })}
          </Typography.Text>
        )}
        <div>
          <Button icon={<ReloadOutlined />} size="small" loading={loading} onClick={() => void load()}>
            {t('profile.refresh')}
          </Button>
        </div>
      </Flex>
    </Flex>
  );
}
