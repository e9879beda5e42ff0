import { ThunderboltOutlined } from '@ant-design/icons';
import { Button, type TableColumnsType, Tag, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../app/time.ts';
import { useCurrentUser } from '../../app/useMe.ts';
import { fieldTitle } from '../../components/resource/fields.ts';
import { ListTable } from '../../components/resource/ListTable.tsx';
import { sized } from '../../components/resource/listTable.ts';
import type { ResourceListPage } from '../../components/resource/useResourceListPage.ts';
import { currentLanguage } from '../../i18n/index.ts';
import type { PoolItem, ReleasedReason } from './api.ts';
import { formatDuration } from './durations.ts';
import { useGrab } from './useGrab.tsx';
import { useNow } from './useNow.ts';

const reasonColors: Record<ReleasedReason, string> = {
  no_followup: 'orange',
  no_deal: 'volcano',
  unassigned: 'blue',
};

/**
 * The pool's rows: masked contacts, why and for how long each customer has been public (ticking),
 * who had it last, and the grab button for whoever may grab.
 */
export function PoolTable({ view }: { view: ResourceListPage<PoolItem> }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const canGrab = useCurrentUser().permissions.includes('customer.grab');
  const now = useNow();
  const { grabbing, grab } = useGrab();
  const { field, title, cell, width } = view.fields;
  const { sortable } = view;
  const empty = <Typography.Text type="secondary">—</Typography.Text>;

  const columns: TableColumnsType<PoolItem> = [
    { key: 'name', dataIndex: 'name', title: title('name', t('pool.name')), ...sortable('name') },
    { key: 'phone', title: title('phone', t('pool.phone')), render: cell('phone') },
    { key: 'qq', title: title('qq', 'QQ'), render: cell('qq') },
    {
      key: 'source',
      title: title('source', t('pool.source')),
      render: cell('source'),
      ...sortable('source'),
    },
    { key: 'courseIds', title: title('courseIds', t('pool.courses')), render: cell('courseIds') },
    {
      key: 'releasedReason',
      title: title('releasedReason', t('pool.reason')),
      render: (_value, item) => {
        const reasonField = field('releasedReason');
        const label = reasonField
          ? (reasonField.options?.find((option) => option.value === item.releasedReason) ?? null)
          : null;
        return (
          <Tag color={reasonColors[item.releasedReason] ?? 'default'} data-testid="pool-reason">
            {label ? fieldTitle(label, language) : t(`pool.reasons.${item.releasedReason}`)}
          </Tag>
        );
      },
    },
    {
      // How long it has been public: the longer, the earlier it became public (sort=releaseAt).
      key: 'publicFor',
      title: t('pool.publicFor'),
      ...sortable('publicFor'),
      render: (_value, item) =>
        item.publicSince ? (
          <Tooltip title={formatDateTime(item.publicSince)}>
            <span data-testid="pool-public-for">
              {formatDuration(now - dayjs(item.publicSince).valueOf(), t)}
            </span>
          </Tooltip>
        ) : (
          empty
        ),
    },
    {
      key: 'previousConsultant',
      title: title('previousConsultantId', t('pool.previousConsultant')),
      render: (_value, item) => item.previousConsultant?.name ?? empty,
    },
  ];
  if (canGrab) {
    columns.push({
      key: '$grab',
      title: t('resource.operations'),
      fixed: 'end',
      render: (_value, item) => (
        <Button
          type="primary"
          size="small"
          icon={<ThunderboltOutlined />}
          loading={grabbing === item.id}
          disabled={grabbing !== null && grabbing !== item.id}
          onClick={() => void grab(item)}
          data-testid={`grab-${item.id}`}
        >
          {t('pool.grab')}
        </Button>
      ),
    });
  }

  const widths = sized(columns, {
    name: width('name'),
    phone: width('phone'),
    qq: width('qq'),
    source: width('source'),
    courseIds: width('courseIds'),
    releasedReason: width('releasedReason'),
    publicFor: 130,
    previousConsultant: width('previousConsultantId'),
    $grab: view.table.operationsWidth,
  });
  return <ListTable view={view} columns={widths} emptyText={t('pool.empty')} />;
}
