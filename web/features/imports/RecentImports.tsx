import { Alert, Empty, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../app/time.ts';
import { describeError } from '../../components/resource/errors.ts';
import { type ImportSummary, useRecentImports } from './api.ts';
import { ImportStatusTag } from './ImportResult.tsx';

/** The latest imports, newest first; a click on one shows its result above. */
export function RecentImports({
  selectedId,
  onOpen,
}: {
  selectedId: number | null;
  onOpen: (id: number) => void;
}) {
  const { t } = useTranslation();
  const recent = useRecentImports();
  const empty = <Typography.Text type="secondary">—</Typography.Text>;

  if (recent.isError) return <Alert type="error" showIcon title={describeError(recent.error, t)} />;

  const columns: TableColumnsType<ImportSummary> = [
    {
      key: 'createdAt',
      dataIndex: 'createdAt',
      title: t('imports.at'),
      render: (at: string) => formatDateTime(at),
    },
    {
      key: 'fileName',
      dataIndex: 'fileName',
      title: t('imports.file'),
      render: (name: string) => (
        <Typography.Text ellipsis={{ tooltip: name }} style={{ maxWidth: 240 }}>
          {name}
        </Typography.Text>
      ),
    },
    {
      key: 'mode',
      dataIndex: 'mode',
      title: t('imports.modeColumn'),
      render: (mode: ImportSummary['mode']) => <Tag>{t(`imports.mode.${mode}`)}</Tag>,
    },
    {
      key: 'assign',
      dataIndex: 'assign',
      title: t('imports.assign'),
      render: (assign: ImportSummary['assign']) => t(`imports.assignOptions.${assign}`),
    },
    {
      key: 'status',
      dataIndex: 'status',
      title: t('imports.statusColumn'),
      render: (status: ImportSummary['status']) => <ImportStatusTag status={status} />,
    },
    {
      key: 'counts',
      title: t('imports.createdErrors'),
      align: 'right',
      render: (_value, item) => (
        <>
          {item.mode === 'commit' ? item.created : empty} / {item.errorCount}
        </>
      ),
    },
    { key: 'user', title: t('imports.user'), render: (_value, item) => item.user?.name ?? empty },
  ];

  return (
    <div data-testid="import-recent">
      <Table<ImportSummary>
        rowKey="id"
        columns={columns}
        dataSource={recent.data ?? []}
        loading={recent.isLoading}
        size="small"
        scroll={{ x: 'max-content' }}
        onRow={(item) => ({
          onClick: () => onOpen(item.id),
          style: { cursor: 'pointer' },
          'data-testid': `import-recent-${item.id}`,
        })}
        rowClassName={(item) => (item.id === selectedId ? 'ant-table-row-selected' : '')}
        pagination={{ pageSize: 10, showSizeChanger: false, hideOnSinglePage: true }}
        locale={{
          emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('imports.recentEmpty')} />,
        }}
      />
    </div>
  );
}
