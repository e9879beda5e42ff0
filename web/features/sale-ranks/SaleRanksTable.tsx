import { App, Empty, Space, Switch, Table, type TableColumnsType, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { DeleteButton } from '../../components/resource/DeleteButton.tsx';
import { describeError } from '../../components/resource/errors.ts';
import type { ResourceListPage } from '../../components/resource/useResourceListPage.ts';
import type { SaleRank } from './api.ts';
import { InlineNumber } from './InlineNumber.tsx';
import { AssignedToday, formatShare, HintTitle } from './SaleRankCells.tsx';

/**
 * Every consultant's weight, daily quota and switch, edited in place and saved one by one, beside
 * the share each weight gives against the others and today's count against the quota.
 */
export function SaleRanksTable({ view }: { view: ResourceListPage<SaleRank> }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { allowed } = view.meta;
  const { field, title } = view.fields;
  const { update } = view.mutations;
  const ranks = view.page.data?.items ?? [];
  const totalWeight = ranks.reduce((sum, rank) => sum + (rank.active ? rank.weight : 0), 0);
  const name = (rank: SaleRank) => rank.consultant?.name ?? rank.consultantId;

  const save = async (rank: SaleRank, body: Partial<Pick<SaleRank, 'weight' | 'dailyQuota' | 'active'>>) => {
    try {
      await update.mutateAsync({ id: rank.id, body });
      message.success({ key: `sale-rank-${rank.id}`, content: t('saleRanks.saved') });
      return true;
    } catch (error) {
      message.error({ key: `sale-rank-${rank.id}`, content: describeError(error, t) });
      return false;
    }
  };

  const columns: TableColumnsType<SaleRank> = [
    {
      key: 'consultant',
      title: title('consultantId', t('saleRanks.consultant')),
      render: (_value, rank) => (
        <Space size={6}>
          {rank.consultant?.name ?? `#${rank.consultantId}`}
          {!rank.active && <Tag>{t('saleRanks.inactive')}</Tag>}
        </Space>
      ),
    },
    {
      key: 'weight',
      title: title('weight', t('saleRanks.weight')),
      render: (_value, rank) => (
        <InlineNumber
          value={rank.weight}
          max={field('weight')?.max ?? 1000}
          disabled={!allowed.update}
          onSave={(weight) => save(rank, { weight })}
          label={`${name(rank)} ${title('weight', t('saleRanks.weight'))}`}
          testId={`sale-rank-weight-${rank.id}`}
        />
      ),
    },
    {
      key: 'share',
      title: <HintTitle title={t('saleRanks.share')} hint={t('saleRanks.shareHint')} />,
      align: 'right',
      render: (_value, rank) => (
        <span data-testid={`sale-rank-share-${rank.id}`}>
          {rank.active && totalWeight > 0 ? formatShare(rank.weight / totalWeight) : '—'}
        </span>
      ),
    },
    {
      key: 'dailyQuota',
      title: (
        <HintTitle
          title={title('dailyQuota', t('saleRanks.dailyQuota'))}
          hint={t('saleRanks.dailyQuotaHint')}
        />
      ),
      render: (_value, rank) => (
        <Space size={8}>
          <InlineNumber
            value={rank.dailyQuota}
            max={field('dailyQuota')?.max ?? 100_000}
            disabled={!allowed.update}
            onSave={(dailyQuota) => save(rank, { dailyQuota })}
            label={`${name(rank)} ${title('dailyQuota', t('saleRanks.dailyQuota'))}`}
            testId={`sale-rank-quota-${rank.id}`}
          />
          {rank.dailyQuota === 0 && <Tag color="orange">{t('saleRanks.noNewCustomers')}</Tag>}
        </Space>
      ),
    },
    {
      key: 'active',
      title: title('active', t('saleRanks.active')),
      render: (_value, rank) => (
        <Switch
          checked={rank.active}
          disabled={!allowed.update}
          loading={update.isPending && update.variables?.id === rank.id && 'active' in update.variables.body}
          onChange={(active) => void save(rank, { active })}
          aria-label={`${name(rank)} ${title('active', t('saleRanks.active'))}`}
          data-testid={`sale-rank-active-${rank.id}`}
        />
      ),
    },
    {
      key: 'today',
      title: t('saleRanks.today'),
      render: (_value, rank) => <AssignedToday rank={rank} />,
    },
    {
      key: 'remaining',
      title: t('saleRanks.remaining'),
      align: 'right',
      render: (_value, rank) => (
        <span data-testid={`sale-rank-remaining-${rank.id}`}>
          {Math.max(0, rank.dailyQuota - rank.assignedToday)}
        </span>
      ),
    },
  ];
  if (allowed.delete) {
    columns.push({
      key: '$operations',
      title: t('resource.operations'),
      fixed: 'end',
      render: (_value, rank) => (
        <DeleteButton
          name={rank.consultant?.name ?? `#${rank.consultantId}`}
          onConfirm={() => view.remove(rank.id)}
        />
      ),
    });
  }

  return (
    <div data-testid="sale-ranks-table">
      <Table<SaleRank>
        rowKey="id"
        columns={columns}
        dataSource={ranks}
        loading={view.loading}
        scroll={{ x: 'max-content' }}
        pagination={false}
        locale={{
          emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('saleRanks.empty')} />,
        }}
      />
    </div>
  );
}
