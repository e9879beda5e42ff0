import { CheckOutlined, DownloadOutlined } from '@ant-design/icons';
import { Alert, Button, Flex, Space, Statistic, Tag, Tooltip, Typography, theme } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { CodeTip } from '../../components/resource/CodeTip.tsx';
import { currentLanguage } from '../../i18n/index.ts';
import { errorReportUrl, type ImportJob } from './api.ts';
import { ImportErrors } from './ImportErrors.tsx';

type CountKey = 'total' | 'valid' | 'errorCount' | 'created' | 'skipped';

export type ImportDoneProps = {
  job: ImportJob;
  /** Imports a finished preview for real. */
  onCommit: (previewId: number) => void;
  committing: boolean;
};

/**
 * A finished import: its counts, the columns it understood (and ignored), the rows it refused, and
 * what to do next — import the preview, download the error report, see the customers.
 */
export function ImportDone({ job, onCommit, committing }: ImportDoneProps) {
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
