import { CheckOutlined, DownloadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Empty,
  Flex,
  Progress,
  Skeleton,
  Space,
  Statistic,
  Table,
  type TableColumnsType,
  Tag,
  Tooltip,
  Typography,
  theme,
} from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { resourceKeys } from '../../api/resource.ts';
import { CodeTip } from '../../components/resource/CodeTip.tsx';
import { describeError } from '../../components/resource/errors.ts';
import { currentLanguage } from '../../i18n/index.ts';
import {
  errorReportUrl,
  type ImportJob,
  type ImportRowError,
  type ImportStatus,
  importKeys,
  isFinished,
  useImport,
} from './api.ts';
import { failureText, rowErrorText } from './words.ts';

const statusColors: Record<ImportStatus, string> = {
  queued: 'default',
  running: 'processing',
  done: 'success',
  failed: 'error',
};

/** An import's status as a coloured tag. */
export function ImportStatusTag({ status }: { status: ImportStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={statusColors[status]} data-testid="import-status">
      {t(`imports.status.${status}`)}
    </Tag>
  );
}

type ImportResultProps = {
  id: number;
  /** Imports a finished preview for real. */
  onCommit: (previewId: number) => void;
  committing: boolean;
};

/**
 * One import as the worker gets on with it: a progress bar while it is queued or running, then its
 * counts, the columns it understood, the rows it refused and what to do next (import a preview,
 * download the error report). When it finishes, the recent imports and — after a commit — every
 * customer list refresh.
 */
export function ImportResult({ id, onCommit, committing }: ImportResultProps) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const query = useImport(id);
  const job = query.data;

  const finished = job && isFinished(job.status) ? `${job.id}:${job.mode}:${job.status}` : null;
  useEffect(() => {
    if (!finished) return;
    void queryClient.invalidateQueries({ queryKey: importKeys.recent });
    if (finished.includes(':commit:')) void queryClient.invalidateQueries({ queryKey: resourceKeys.all });
  }, [finished, queryClient]);

  return (
    <Card
      size="small"
      data-testid="import-result"
      title={
        <Space wrap>
          {t('imports.result')}
          {job && (
            <>
              <Typography.Text type="secondary">{job.fileName}</Typography.Text>
              <Tag>{t(`imports.mode.${job.mode}`)}</Tag>
              <Typography.Text type="secondary">{t(`imports.assignOptions.${job.assign}`)}</Typography.Text>
              <ImportStatusTag status={job.status} />
            </>
          )}
        </Space>
      }
    >
      {query.isError ? (
        <Alert type="error" showIcon title={describeError(query.error, t)} role="alert" />
      ) : !job ? (
        <Skeleton active paragraph={{ rows: 3 }} />
      ) : job.status === 'queued' || job.status === 'running' ? (
        <ImportProgress job={job} />
      ) : job.status === 'failed' ? (
        <Alert
          type="error"
          showIcon
          title={t('imports.failed')}
          description={failureText(job, t)}
          role="alert"
          data-testid="import-failure"
        />
      ) : (
        <ImportDone job={job} onCommit={onCommit} committing={committing} />
      )}
    </Card>
  );
}

function ImportProgress({ job }: { job: ImportJob }) {
  const { t } = useTranslation();
  const percent = job.total > 0 ? Math.min(100, Math.floor((job.processed / job.total) * 100)) : 0;
  return (
    <Flex vertical gap={4} data-testid="import-progress">
      <Progress percent={percent} status="active" />
      <Typography.Text type="secondary">
        {job.total > 0
          ? t('imports.progress', { processed: job.processed, total: job.total })
          : t('imports.progressUnknown')}
      </Typography.Text>
    </Flex>
  );
}

type CountKey = 'total' | 'valid' | 'errorCount' | 'created' | 'skipped';

function ImportDone({ job, onCommit, committing }: { job: ImportJob } & Omit<ImportResultProps, 'id'>) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const committed = job.mode === 'commit';
  const counts: { key: CountKey; value: number; color?: string }[] = [
    { key: 'total', value: job.total },
    { key: 'valid', value: job.valid },
    { key: 'errorCount', value: job.errorCount, color: job.errorCount > 0 ? token.colorError : undefined },
  ];
  if (committed) {
    counts.push({ key: 'created', value: job.created, color: token.colorSuccess });
    counts.push({ key: 'skipped', value: job.skipped });
  }

  return (
    <Flex vertical gap={16}>
      <Alert
        type={job.errorCount > 0 ? 'warning' : 'success'}
        showIcon
        title={
          committed
            ? t('imports.commitDone', { created: job.created })
            : t('imports.previewDone', { valid: job.valid, errors: job.errorCount })
        }
        data-testid="import-summary"
      />
      <Flex gap={40} wrap data-testid="import-counts">
        {counts.map((count) => (
          <Statistic
            key={count.key}
            title={t(`imports.${count.key}`)}
            value={count.value}
            styles={count.color ? { content: { color: count.color } } : undefined}
            data-testid={`import-count-${count.key}`}
          />
        ))}
      </Flex>
      <Flex vertical gap={8}>
        <Typography.Text strong>{t('imports.columns')}</Typography.Text>
        {job.columns.length > 0 ? (
          <Flex wrap gap={4} data-testid="import-columns">
            {job.columns.map((column) => (
              <CodeTip key={column.column} code={column.field}>
                <Tag color="blue">{column.column}</Tag>
              </CodeTip>
            ))}
          </Flex>
        ) : (
          <Typography.Text type="secondary">{t('imports.noColumns')}</Typography.Text>
        )}
        {job.ignoredColumns.length > 0 && (
          <Alert
            type="warning"
            showIcon
            title={t('imports.ignoredColumns', { columns: job.ignoredColumns.join(t('app.listSeparator')) })}
            data-testid="import-ignored"
          />
        )}
      </Flex>
      {job.errorCount > 0 && <ImportErrors job={job} />}
      <Space wrap>
        {!committed && (
          <Tooltip title={job.valid === 0 ? t('imports.commitNothing') : undefined}>
            <Button
              type="primary"
              icon={<CheckOutlined />}
              disabled={job.valid === 0}
              loading={committing}
              onClick={() => onCommit(job.id)}
              data-testid="import-commit"
            >
              {t('imports.commit')}
            </Button>
          </Tooltip>
        )}
        {job.errorCount > 0 && (
          <Button
            icon={<DownloadOutlined />}
            href={errorReportUrl(job.id, currentLanguage() === 'en' ? 'en' : 'zh')}
            download
            data-testid="import-error-report"
          >
            {t('imports.errorReport')}
          </Button>
        )}
        {committed && job.created > 0 && (
          <Link to="/customers" data-testid="import-view-customers">
            {t('imports.viewCustomers')}
          </Link>
        )}
      </Space>
    </Flex>
  );
}

type ErrorRow = ImportRowError & { key: number };

/** The rows the import refused, as many as the server sends (the report has them all). */
function ImportErrors({ job }: { job: ImportJob }) {
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
