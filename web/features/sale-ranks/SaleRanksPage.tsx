import { LockOutlined, PlusOutlined, QuestionCircleOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Empty,
  Flex,
  InputNumber,
  Progress,
  Space,
  Switch,
  Table,
  type TableColumnsType,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Item } from '../../api/resource.ts';
import { useMenuTitle } from '../../app/useMenuTitle.ts';
import { DeleteButton } from '../../components/resource/DeleteButton.tsx';
import { describeError } from '../../components/resource/errors.ts';
import { fieldTitle, findField } from '../../components/resource/fields.ts';
import { useMetaBlocker } from '../../components/resource/listPage.tsx';
import { ResourceForm } from '../../components/resource/ResourceForm.tsx';
import {
  useResourceList,
  useResourceMeta,
  useResourceMutations,
} from '../../components/resource/useResource.ts';
import { currentLanguage } from '../../i18n/index.ts';

/** One row of `GET /api/sale-ranks` (server/modules/assignment/resource.ts). */
type SaleRank = Item & {
  consultantId: number;
  consultant: { id: number; name: string } | null;
  weight: number;
  dailyQuota: number;
  active: boolean;
  /** Already today's count, in the school's time zone. */
  assignedToday: number;
  assignedOn: string | null;
};

const resource = 'sale-ranks';
// Every consultant on one page, in a stable order: rows must not jump while their weights change.
const query = new URLSearchParams({ sort: 'id', pageSize: '200' });
const createDefaults = { weight: 1, dailyQuota: 20, active: true };

/**
 * Sales weights (销售权重): who takes new customers, in what proportion and how many a day. The
 * weights, quotas and switches are edited in the table and saved one by one; the share column shows
 * what each weight means against the others. Read-only without `sale_rank.update`.
 */
export default function SaleRanksPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const language = currentLanguage();
  const pageTitle = useMenuTitle();
  const metaQuery = useResourceMeta(resource);
  const meta = metaQuery.data;
  const list = useResourceList<SaleRank>(resource, meta ? query : null);
  const { update, remove } = useResourceMutations(resource);
  const [adding, setAdding] = useState(false);

  const blocker = useMetaBlocker(metaQuery);
  if (blocker || !meta) return blocker;
  const { allowed } = meta;
  const ranks = list.data?.items ?? [];
  const totalWeight = ranks.reduce((sum, rank) => sum + (rank.active ? rank.weight : 0), 0);
  const title = (key: string, fallback: string) => {
    const field = findField(meta, key);
    return field ? fieldTitle(field, language) : fallback;
  };

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
  const removeRank = async (rank: SaleRank) => {
    try {
      await remove.mutateAsync(rank.id);
      message.success(t('resource.deleted'));
    } catch (error) {
      message.error(describeError(error, t));
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
          max={findField(meta, 'weight')?.max ?? 1000}
          disabled={!allowed.update}
          onSave={(weight) => save(rank, { weight })}
          label={`${rank.consultant?.name ?? rank.consultantId} ${title('weight', t('saleRanks.weight'))}`}
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
            max={findField(meta, 'dailyQuota')?.max ?? 100_000}
            disabled={!allowed.update}
            onSave={(dailyQuota) => save(rank, { dailyQuota })}
            label={`${rank.consultant?.name ?? rank.consultantId} ${title('dailyQuota', t('saleRanks.dailyQuota'))}`}
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
          aria-label={`${rank.consultant?.name ?? rank.consultantId} ${title('active', t('saleRanks.active'))}`}
          data-testid={`sale-rank-active-${rank.id}`}
        />
      ),
    },
    {
      key: 'today',
      title: t('saleRanks.today'),
      render: (_value, rank) => (
        <Flex vertical gap={0} style={{ minWidth: 120 }} data-testid={`sale-rank-today-${rank.id}`}>
          <span>
            {rank.assignedToday} / {rank.dailyQuota}
          </span>
          <Progress
            size="small"
            showInfo={false}
            percent={rank.dailyQuota > 0 ? Math.min(100, (rank.assignedToday / rank.dailyQuota) * 100) : 100}
            status={rank.assignedToday >= rank.dailyQuota ? 'exception' : 'normal'}
          />
        </Flex>
      ),
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
          onConfirm={() => removeRank(rank)}
        />
      ),
    });
  }

  return (
    <Flex vertical gap={16} style={{ maxWidth: 1200 }} data-testid="sale-ranks-page">
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {pageTitle ?? fieldTitle(meta, language)}
        </Typography.Title>
        {allowed.create && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setAdding(true)}
            data-testid="sale-rank-add"
          >
            {t('saleRanks.add')}
          </Button>
        )}
      </Flex>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('saleRanks.intro')}
      </Typography.Paragraph>
      {!allowed.update && (
        <Alert type="info" showIcon icon={<LockOutlined />} title={t('saleRanks.readOnly')} />
      )}
      {list.isError && <Alert type="error" showIcon title={describeError(list.error, t)} role="alert" />}
      <div data-testid="sale-ranks-table">
        <Table<SaleRank>
          rowKey="id"
          columns={columns}
          dataSource={ranks}
          loading={list.isLoading}
          scroll={{ x: 'max-content' }}
          pagination={false}
          locale={{
            emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('saleRanks.empty')} />,
          }}
        />
      </div>
      {adding && (
        <ResourceForm
          meta={meta}
          item={null}
          onClose={() => setAdding(false)}
          createDefaults={createDefaults}
        />
      )}
    </Flex>
  );
}

/** 0.3333 → "33.3%". */
function formatShare(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

function HintTitle({ title, hint }: { title: string; hint: string }) {
  return (
    <Tooltip title={hint}>
      <Space size={4}>
        {title}
        <Typography.Text type="secondary">
          <QuestionCircleOutlined />
        </Typography.Text>
      </Space>
    </Tooltip>
  );
}

/**
 * A whole number edited in its cell: saved when the user leaves the box or presses Enter, put back
 * when the server refuses it or the box is left empty.
 */
function InlineNumber(props: {
  value: number;
  max: number;
  disabled: boolean;
  onSave: (value: number) => Promise<boolean>;
  label: string;
  testId: string;
}) {
  const { value, max, disabled, onSave, label, testId } = props;
  const [draft, setDraft] = useState<number | null>(value);
  // Enter and then leaving the box would save twice: one save at a time.
  const saving = useRef(false);
  useEffect(() => setDraft(value), [value]);

  const commit = async () => {
    if (saving.current) return;
    if (draft === null || draft === value) {
      setDraft(value);
      return;
    }
    saving.current = true;
    const saved = await onSave(draft);
    saving.current = false;
    if (!saved) setDraft(value);
  };

  return (
    <InputNumber
      value={draft}
      min={0}
      max={max}
      precision={0}
      disabled={disabled}
      onChange={(next) => setDraft(typeof next === 'number' ? next : null)}
      onBlur={() => void commit()}
      onPressEnter={() => void commit()}
      aria-label={label}
      style={{ width: 96 }}
      data-testid={testId}
    />
  );
}
