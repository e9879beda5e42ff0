import { DownOutlined, IdcardOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { Avatar, Button, Dropdown, Flex, type MenuProps, Typography, theme } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useCurrentUser, useSignOut } from './useMe.ts';

export function UserMenu() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const signOut = useSignOut();
  const navigate = useNavigate();
  const { token } = theme.useToken();
  const roles = me.roles.map((role) => role.title).join(t('app.listSeparator')) || t('shell.noRoles');

  const items: MenuProps['items'] = [
    {
      key: 'account',
      disabled: true,
      label: (
        <Flex vertical style={{ cursor: 'default' }}>
          <Typography.Text type="secondary">{t('shell.account')}</Typography.Text>
          <Typography.Text strong>
            {me.name} ({me.username})
          </Typography.Text>
          <Typography.Text type="secondary">{roles}</Typography.Text>
        </Flex>
      ),
    },
    { type: 'divider' },
    {
      key: 'profile',
      icon: <IdcardOutlined />,
      label: t('profile.title'),
      onClick: () => void navigate('/profile'),
    },
    { key: 'sign-out', icon: <LogoutOutlined />, label: t('shell.signOut'), onClick: () => void signOut() },
  ];

  return (
    <Dropdown menu={{ items }} trigger={['click']} placement="bottomRight">
      <Button type="text" aria-label={me.name} data-testid="user-menu">
        <Avatar size="small" icon={<UserOutlined />} style={{ backgroundColor: token.colorPrimary }} />
        <span>{me.name}</span>
        <DownOutlined style={{ fontSize: 10 }} />
      </Button>
    </Dropdown>
  );
}
