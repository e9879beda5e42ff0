import { DownloadOutlined, EyeOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Flex, Radio, Space, Typography, type UploadFile } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useMenuTitle } from '../../app/useMenuTitle.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { describeError } from '../../components/resource/errors.ts';
import {
  type ImportAssign,
  importAssigns,
  importTemplateUrl,
  useCommitImport,
  useStartPreview,
} from './api.ts';
import { FileDrop } from './FileDrop.tsx';
import { ImportResult } from './ImportResult.tsx';
import { RecentImports } from './RecentImports.tsx';

/**
 * Bulk import (批量导入): choose a file and how its customers are assigned, preview it — the server
 * reads it in the background and this page follows its progress — check the rows it refuses, then
 * import it. The import shown is in the URL (`?id=`), so a reload or the back button keeps it; the
 * latest imports are listed below, and opening one shows its result.
 */
export default function ImportPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const pageTitle = useMenuTitle();
  const [params, setParams] = useSearchParams();
  const shownId = parseId(params.get('id'));
  const [file, setFile] = useState<UploadFile | null>(null);
  const [assign, setAssign] = useState<ImportAssign>('rotation');
  const [uploadError, setUploadError] = useState<string | null>(null);
  const preview = useStartPreview();
  const commit = useCommitImport();

  const show = (id: number | null) => setParams(id === null ? {} : { id: String(id) });

  const startPreview = async () => {
    const chosen = file?.originFileObj;
    if (!chosen) {
      setUploadError(t('imports.noFile'));
      return;
    }
    setUploadError(null);
    try {
      const { importId } = await preview.mutateAsync({ file: chosen, assign });
      show(importId);
    } catch (error) {
      setUploadError(describeError(error, t));
    }
  };

  const startCommit = async (previewId: number) => {
    try {
      const { importId } = await commit.mutateAsync(previewId);
      show(importId);
    } catch (error) {
      message.error(describeError(error, t));
    }
  };

  const restart = () => {
    setFile(null);
    setUploadError(null);
    preview.reset();
    commit.reset();
    show(null);
  };

  return (
    <Flex vertical gap={16} style={{ maxWidth: 1200 }} data-testid="import-page">
      <PageHeader
        title={pageTitle ?? t('imports.title')}
        extra={
          <Button icon={<DownloadOutlined />} href={importTemplateUrl} download data-testid="import-template">
            {t('imports.template')}
          </Button>
        }
      />
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('imports.intro')}
      </Typography.Paragraph>
      <Card size="small" title={t('imports.chooseFile')}>
        <Flex vertical gap={16}>
          <FileDrop
            file={file}
            onChange={(chosen) => {
              setFile(chosen);
              // A new file answers the last refusal (e.g. "choose a file"); removing one does not.
              if (chosen) setUploadError(null);
            }}
            disabled={preview.isPending}
          />
          <Flex align="center" gap={12} wrap>
            <Typography.Text>{t('imports.assign')}</Typography.Text>
            <Radio.Group
              value={assign}
              onChange={(event) => setAssign(event.target.value as ImportAssign)}
              options={importAssigns.map((value) => ({
                value,
                label: t(`imports.assignOptions.${value}`),
              }))}
              data-testid="import-assign"
            />
          </Flex>
          {uploadError && (
            <Alert type="error" showIcon title={uploadError} role="alert" data-testid="import-upload-error" />
          )}
          <Space wrap>
            <Button
              type="primary"
              icon={<EyeOutlined />}
              loading={preview.isPending}
              disabled={!file}
              onClick={() => void startPreview()}
              data-testid="import-preview"
            >
              {t('imports.preview')}
            </Button>
            <Button icon={<ReloadOutlined />} onClick={restart} data-testid="import-restart">
              {t('imports.restart')}
            </Button>
          </Space>
        </Flex>
      </Card>
      {shownId !== null && (
        <ImportResult
          key={shownId}
          id={shownId}
          onCommit={(previewId) => void startCommit(previewId)}
          committing={commit.isPending}
        />
      )}
      <Card size="small" title={t('imports.recent')}>
        <RecentImports selectedId={shownId} onOpen={show} />
      </Card>
    </Flex>
  );
}

function parseId(value: string | null): number | null {
  const id = Number(value);
  return Number.isInteger(id) && id > 0 ? id : null;
}
