import { Card, Col, Empty, Flex, Row, Tag, Typography, theme } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { MenuGroup } from '../../api/auth.ts';
import { MenuIcon } from '../../app/icons.tsx';
import { localTitle } from '../../app/menu.ts';
import { summaryOf } from '../../app/summaries.ts';
import { schoolHour } from '../../app/time.ts';
import { useCurrentUser } from '../../app/useMe.ts';
import { currentLanguage } from '../../i18n/index.ts';
import { DashboardCards } from './DashboardCards.tsx';

/**
 * The signed-in landing page: who you are, your figures (own customers, the team's, the pool, the
 * team's month, your classes and the lessons to mark, as your roles and work allow), and a card for
 * every page your roles open.
 */
export default function HomePage() {
  const { t } = useTranslation();
  const me = useCurrentUser();

  return (
    <Flex vertical gap={24} style={{ maxWidth: 1200 }}>
      <div>
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          {t(greetingKey(schoolHour()), { name: me.name })}
        </Typography.Title>
        <Flex wrap gap={8} align="center">
          {me.roles.length > 0 ? (
            me.roles.map((role) => (
              <Tag key={role.id} color="green">
                {role.title}
              </Tag>
            ))
          ) : (
            <Tag>{t('shell.noRoles')}</Tag>
          )}
          <Typography.Text type="secondary">{t('home.intro')}</Typography.Text>
        </Flex>
      </div>
      <DashboardCards />
      {me.menus.length === 0 ? (
        <Empty description={t('home.noMenus')} />
      ) : (
        me.menus.map((group) => <GroupCard key={group.id} group={group} />)
      )}
    </Flex>
  );
}

function GroupCard({ group }: { group: MenuGroup }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const language = currentLanguage();
  return (
    <Card
      title={
        <Flex gap={8} align="center">
          <MenuIcon name={group.icon} />
          {localTitle(group, language)}
        </Flex>
      }
      extra={
        <Typography.Text type="secondary">
          {t('home.pageCount', { count: group.items.length })}
        </Typography.Text>
      }
    >
      <Row gutter={[16, 16]}>
        {group.items.map((item) => {
          const summary = summaryOf(item.path);
          return (
            <Col key={item.path} xs={24} sm={12} lg={8} xl={6}>
              <Link to={item.path} style={{ display: 'block', height: '100%' }}>
                <Card size="small" hoverable style={{ height: '100%' }}>
                  <Flex gap={12} align="flex-start">
                    <span style={{ color: token.colorPrimary, fontSize: 20, lineHeight: 1 }}>
                      <MenuIcon name={item.icon ?? group.icon} />
                    </span>
                    <Flex vertical gap={2}>
                      <Typography.Text strong>{localTitle(item, language)}</Typography.Text>
                      {summary && (
                        <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                          {t(`pages.${summary}`)}
                        </Typography.Text>
                      )}
                    </Flex>
                  </Flex>
                </Card>
              </Link>
            </Col>
          );
        })}
      </Row>
    </Card>
  );
}

function greetingKey(hour: number) {
  if (hour < 12) return 'home.morning' as const;
  if (hour < 18) return 'home.afternoon' as const;
  return 'home.evening' as const;
}
