import { SyncOutlined } from '@ant-design/icons';
import { Flex, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader.tsx';
import { buttonsWidth } from '../../components/resource/columnWidths.ts';
import { FilterBar } from '../../components/resource/FilterBar.tsx';
import { ListLoadError } from '../../components/resource/listPage.tsx';
import { useResourceListPage } from '../../components/resource/useResourceListPage.ts';
import { POOL_REFRESH_MS, type PoolItem } from './api.ts';
import { PoolTable } from './PoolTable.tsx';

/** "Public for" sorts by when the customer became public: the longer, the earlier. */
const sortedBy = { publicFor: { field: 'releaseAt', reversed: true } };

/**
 * The public pool (公海, docs/spec.md §3): customers nobody follows any more, with masked contacts, why and
 * for how long they have been public, and who had them last. A consultant grabs one (抢单); of any
 * number of simultaneous grabbers exactly one wins, and the others are told so. The list refreshes
 * itself (see `POOL_REFRESH_MS`), keeps its search, filters, sort and page in the URL.
 */
export default function PoolPage() {
  const { t } = useTranslation();
  const { view, blocker } = useResourceListPage<PoolItem>({
    resource: 'pool',
    refreshEvery: POOL_REFRESH_MS,
    operationsWidth: () => buttonsWidth([t('pool.grab')]),
    sortedBy,
  });
  if (!view) return blocker;

  return (
    <Flex vertical gap={16} data-testid="pool-page">
      <PageHeader
        title={view.title}
        extra={
          <Typography.Text type="secondary">
            <Space size={6}>
              <SyncOutlined spin={view.page.isFetching} />
              {t('pool.autoRefresh')}
            </Space>
          </Typography.Text>
        }
      />
      <FilterBar {...view.filterBar} />
      <ListLoadError query={view.page} />
      <PoolTable view={view} />
    </Flex>
  );
}
