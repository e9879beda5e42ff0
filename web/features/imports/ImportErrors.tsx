import { Empty, Flex, Table, type TableColumnsType, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ImportJob, ImportRowError } from './api.ts';
import { rowErrorText } from './words.ts';

type ErrorRow = ImportRowError & { key: number };

/** The rows the import refused, as many as the server sends (the report has them all). */
export function ImportErrors({ job }: { job: ImportJob }) {
  const { t } = useTranslation();
  const rows: ErrorRow[] = job.errors.map((error, index) => ({ ...error, key: index }));
  const empty = <Typography.Text type="secondary">—</Typography.Text>;
  const columns: TableColumnsType<ErrorRow> = [
    { key: 'row', dataIndex: 'row', title: t('imports.row'), width: 80 },
    {
      key: 'column',
      dataIndex: 'column',
      title: t('imports.column'),
      width: 160,
      render: (column: string | null) => column ?? empty,
    },
    {
      key: 'message',
      dataIndex: 'message',
      title: t('imports.message'),
      render: (_message: string, error: ErrorRow) => rowErrorText(error, t),
    },
  ];
  return (
    <Flex vertical gap={8}>
      <Typography.Text strong>{t('imports.errors')}</Typography.Text>
      <div data-testid="import-errors">
        <Table<ErrorRow>
          columns={columns}
          dataSource={rows}
          size="small"
          pagination={{
            pageSize: 10,
            showSizeChanger: false,
            hideOnSinglePage: true,
            showTotal: (total) => t('resource.total', { total }),
          }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} /> }}
        />
      </div>
      {job.errorCount > job.errors.length && (
        <Typography.Text type="secondary">
          {t('imports.errorsTruncated', { shown: job.errors.length, total: job.errorCount })}
        </Typography.Text>
      )}
    </Flex>
  );
}
