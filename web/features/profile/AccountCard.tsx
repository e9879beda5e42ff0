import { Card, Descriptions, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useCurrentUser } from '../../app/useMe.ts';
import type { NotifySettings } from './api.ts';

/** Who I am and where the channels reach me: read-only, an administrator keeps them. */
export function AccountCard({ settings }: { settings: NotifySettings }) {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const given = (value: string | null) =>
    value ? value : <Typography.Text type="secondary">{t('profile.notFilled')}</Typography.Text>;

  return (
    <Card title={t('profile.account')} style={{ height: '100%' }} data-testid="profile-account">
      <Descriptions
        column={1}
        size="small"
        styles={{ label: { width: 96 } }}
        items={[
          { key: 'name', label: t('profile.name'), children: me.name },
          { key: 'username', label: t('profile.username'), children: me.username },
          {
            key: 'roles',
            label: t('profile.roles'),
            children:
              me.roles.length > 0
                ? me.roles.map((role) => (
                    <Tag key={role.id} color="green">
                      {role.title}
                    </Tag>
                  ))
                : t('shell.noRoles'),
          },
          { key: 'email', label: t('profile.email'), children: given(settings.contacts.email) },
          { key: 'phone', label: t('profile.phone'), children: given(settings.contacts.phone) },
        ]}
      />
      <Typography.Paragraph type="secondary" style={{ margin: '12px 0 0', fontSize: 13 }}>
        {t('profile.contactsHint')}
      </Typography.Paragraph>
    </Card>
  );
}
