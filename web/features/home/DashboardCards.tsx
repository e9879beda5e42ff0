import { Alert, Card, Col, Flex, Row, Skeleton, Statistic, Typography, theme } from 'antd';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../components/resource/errors.ts';
import { type CustomerFigures, type Dashboard, type PoolReason, useDashboard } from '../reports/api.ts';
import { ClassCards } from './ClassCards.tsx';

// antd's Table is heavy and only managers see the team: it loads with them alone.
const TeamTable = lazy(() => import('./TeamTable.tsx'));

const REASONS: PoolReason[] = ['no_followup', 'no_deal', 'unassigned'];

/**
 * The figures at the top of the home page (`GET /api/dashboard`): a consultant's own customers and
 * month; for whoever sees every customer the team's, the pool and each consultant's month; for a
 * teacher or a tutor their classes. Shows nothing for someone the server gives none.
 */
export function DashboardCards() {
  const { t } = useTranslation();
  const { data, error, isPending } = useDashboard();
  if (isPending) return <Skeleton active paragraph={{ rows: 2 }} />;
  if (error)
    return (
      <Alert type="warning" showIcon title={t('dashboard.failed', { message: describeError(error, t) })} />
    );
  if (!data.mine && !data.teamSummary && !data.pool && !data.team && !data.classes) return null;
  return (
    <Flex vertical gap={16} data-testid="dashboard">
      {data.classes && <ClassCards classes={data.classes} />}
      {data.mine && (
        <Row gutter={[16, 16]}>
          <FigureCards figures={data.mine} whose="mine" />
          {data.pool && !data.teamSummary && <PoolCard pool={data.pool} />}
        </Row>
      )}
      {data.teamSummary && (
        <Row gutter={[16, 16]}>
          <FigureCards figures={data.teamSummary} whose="team" />
          {data.pool && <PoolCard pool={data.pool} />}
        </Row>
      )}
      {data.pool && !data.mine && !data.teamSummary && (
        <Row gutter={[16, 16]}>
          <PoolCard pool={data.pool} />
        </Row>
      )}
      {data.team && (
        <Card size="small" title={t('dashboard.team')}>
          <Suspense fallback={<Skeleton active paragraph={{ rows: 3 }} />}>
            <TeamTable rows={data.team} />
          </Suspense>
        </Card>
      )}
    </Flex>
  );
}

/** Four figures: the caller's own (`mine`, titled as a consultant knows them) or the team's (titled so). */
function FigureCards({ figures, whose }: { figures: CustomerFigures; whose: 'mine' | 'team' }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const cards = [
    { key: 'following', value: figures.following },
    {
      key: 'expiringWithinDay',
      value: figures.expiringWithinDay,
      // Red while any customer is about to fall into the pool.
      color: figures.expiringWithinDay > 0 ? token.colorError : undefined,
    },
    { key: 'grabbedThisMonth', value: figures.grabbedThisMonth },
    { key: 'enrolledThisMonth', value: figures.enrolledThisMonth },
  ] as const;
  return cards.map((card) => (
    <Col key={card.key} xs={12} md={6} xl={4}>
      <Card size="small" style={{ height: '100%' }}>
        <Statistic
          title={whose === 'team' ? t(`dashboard.ofTeam.${card.key}`) : t(`dashboard.${card.key}`)}
          value={card.value}
          styles={'color' in card && card.color ? { content: { color: card.color } } : undefined}
          data-testid={whose === 'team' ? `dashboard-team-${card.key}` : `dashboard-${card.key}`}
        />
      </Card>
    </Col>
  ));
}

function PoolCard({ pool }: { pool: NonNullable<Dashboard['pool']> }) {
  const { t } = useTranslation();
  const count = (n: number) => (pool.capped ? t('dashboard.atLeast', { count: n }) : n);
  return (
    <Col xs={24} md={12} xl={8}>
      <Card size="small" style={{ height: '100%' }}>
        <Flex gap={24} align="flex-start" wrap>
          <Statistic title={t('dashboard.pool')} value={count(pool.total)} data-testid="dashboard-pool" />
          <Flex vertical gap={2} style={{ paddingTop: 4, minWidth: 140 }}>
            {REASONS.map((reason) => (
              <Flex key={reason} justify="space-between" gap={16} data-testid={`dashboard-pool-${reason}`}>
                <Typography.Text type="secondary">{t(`dashboard.reason.${reason}`)}</Typography.Text>
                <Typography.Text strong>{count(pool.byReason[reason])}</Typography.Text>
              </Flex>
            ))}
          </Flex>
        </Flex>
      </Card>
    </Col>
  );
}
