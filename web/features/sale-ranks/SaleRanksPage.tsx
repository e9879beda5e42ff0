import { LockOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Flex, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ListLoadError } from '../../components/resource/listPage.tsx';
import { ResourceForm } from '../../components/resource/ResourceForm.tsx';
import { useResourceListPage } from '../../components/resource/useResourceListPage.ts';
import type { SaleRank } from './api.ts';
import { SaleRanksTable } from './SaleRanksTable.tsx';

// Every consultant on one page, in a stable order: rows must not jump while their weights change.
const everyConsultant = new URLSearchParams({ sort: 'id', pageSize: '200' });
const createDefaults = { weight: 1, dailyQuota: 20, active: true };

/**
 * Sales weights (销售权重): who takes new customers, in what proportion and how many a day. The
 * weights, quotas and switches are edited in the table and saved one by one; the share column shows
 * what each weight means against the others. Read-only without `sale_rank.update`.
 */
export default function SaleRanksPage() {
  const { t } = useTranslation();
  const { view, blocker } = useResourceListPage<SaleRank>({ resource: 'sale-ranks', query: everyConsultant });
  const [adding, setAdding] = useState(false);
  if (!view) return blocker;
  const { allowed } = view.meta;

  return (
    <Flex vertical gap={16} style={{ maxWidth: 1200 }} data-testid="sale-ranks-page">
      <PageHeader
        title={view.title}
        extra={
          allowed.create && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setAdding(true)}
              data-testid="sale-rank-add"
            >
              {t('saleRanks.add')}
            </Button>
          )
        }
      />
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('saleRanks.intro')}
      </Typography.Paragraph>
      {!allowed.update && (
        <Alert type="info" showIcon icon={<LockOutlined />} title={t('saleRanks.readOnly')} />
      )}
      <ListLoadError query={view.page} />
      <SaleRanksTable view={view} />
      {adding && (
        <ResourceForm
          meta={view.meta}
          item={null}
          onClose={() => setAdding(false)}
          createDefaults={createDefaults}
        />
      )}
    </Flex>
  );
}
