import { useQueryClient } from '@tanstack/react-query';
import { Alert, Card, Flex, Progress, Skeleton, Space, Tag, Typography } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { resourceKeys } from '../../api/resource.ts';
import { describeError } from '../../components/resource/errors.ts';
import { type ImportJob, type ImportStatus, importKeys, isFinished, useImport } from './api.ts';
import { ImportDone, type ImportDoneProps } from './ImportDone.tsx';
import { failureText } from './words.ts';

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

type ImportResultProps = { id: number } & Omit<ImportDoneProps, 'job'>;

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
