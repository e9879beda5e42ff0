import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Flex, Form, Input, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { login } from '../../api/auth.ts';
import { ApiError } from '../../api/client.ts';
import { setSchoolTimezone } from '../../app/time.ts';
import { meQueryKey } from '../../app/useMe.ts';
import { LanguageSwitch } from '../../components/LanguageSwitch.tsx';
import { Logo } from '../../components/Logo.tsx';

type Credentials = { username: string; password: string };

export default function LoginPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const queryClient = useQueryClient();

  const signIn = useMutation({
    mutationFn: (values: Credentials) =>
      login({ username: values.username.trim(), password: values.password }),
    onSuccess: async (me) => {
      setSchoolTimezone(me.timezone);
      queryClient.setQueryData(meQueryKey, me);
      await navigate(safeNext(searchParams.get('next')), { replace: true });
    },
  });

  return (
    <Flex
      vertical
      style={{ minHeight: '100vh', background: 'linear-gradient(160deg, #eef7f2 0%, #f7f9fb 60%)' }}
    >
      <Flex justify="flex-end" style={{ padding: 16 }}>
        <LanguageSwitch />
      </Flex>
      <Flex flex={1} align="center" justify="center" style={{ padding: '0 16px 64px' }}>
        <Card style={{ width: '100%', maxWidth: 400 }} styles={{ body: { padding: 32 } }}>
          <Flex vertical align="center" gap={4} style={{ marginBottom: 24 }}>
            <Logo size={48} />
            <Typography.Title level={3} style={{ margin: '12px 0 0' }}>
              {t('app.name')}
            </Typography.Title>
            <Typography.Text type="secondary">{t('app.tagline')}</Typography.Text>
          </Flex>
          {signIn.error && (
            <Alert
              type="error"
              showIcon
              title={errorMessage(signIn.error, t)}
              style={{ marginBottom: 24 }}
              role="alert"
            />
          )}
          <Form<Credentials>
            layout="vertical"
            requiredMark={false}
            onFinish={(values) => signIn.mutate(values)}
            disabled={signIn.isPending}
          >
            <Form.Item
              name="username"
              label={t('login.username')}
              rules={[{ required: true, whitespace: true, message: t('login.usernameRequired') }]}
            >
              <Input prefix={<UserOutlined />} autoComplete="username" autoFocus size="large" />
            </Form.Item>
            <Form.Item
              name="password"
              label={t('login.password')}
              rules={[{ required: true, message: t('login.passwordRequired') }]}
            >
              <Input.Password prefix={<LockOutlined />} autoComplete="current-password" size="large" />
            </Form.Item>
            <Button type="primary" htmlType="submit" size="large" block loading={signIn.isPending}>
              {t('login.submit')}
            </Button>
          </Form>
        </Card>
      </Flex>
    </Flex>
  );
}

function errorMessage(error: Error, t: TFunction): string {
  if (error instanceof ApiError) {
    if (error.code === 'invalid_credentials') return t('login.invalidCredentials');
    if (error.code === 'too_many_attempts' || error.status === 429) return t('login.tooManyAttempts');
    if (error.code === 'validation') return t('login.validation');
    if (error.code === 'network') return t('errors.offline');
  }
  return t('login.failed', { message: error.message });
}

/** Where to go after signing in: only a path on this site, so a crafted link cannot send users away. */
function safeNext(next: string | null): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (next === '/login' || next.startsWith('/login?')) return '/';
  return next;
}
