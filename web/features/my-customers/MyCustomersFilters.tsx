import { Flex, Input } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ResourceMeta } from '../../api/resource.ts';
import { FilterBar } from '../../components/resource/FilterBar.tsx';
import type { ResourceListPage } from '../../components/resource/useResourceListPage.ts';
import type { MyCustomer } from './api.ts';

/**
 * The search box (by the customer's name and contacts, which the meta does not list as its own
 * fields) and the filters besides the status, which the tabs are.
 */
export function MyCustomersFilters({ view }: { view: ResourceListPage<MyCustomer> }) {
  const { t } = useTranslation();
  const { meta, list } = view;
  const [q, setQ] = useState(list.state.q);
  useEffect(() => setQ(list.state.q), [list.state.q]);
  // The tabs are the status filter; the filter bar offers the others (via, start date).
  const barMeta: ResourceMeta = {
    ...meta,
    searchFields: [],
    fields: meta.fields.filter((field) => field.key !== 'status' && field.key !== 'customerId'),
  };

  return (
    <Flex wrap gap={8} align="center">
      <Input.Search
        aria-label={t('resource.search')}
        placeholder={t('myCustomers.searchPlaceholder')}
        allowClear
        value={q}
        onChange={(event) => setQ(event.target.value)}
        onSearch={(value) => list.setQ(value)}
        style={{ width: 280 }}
      />
      <FilterBar
        {...view.filterBar}
        meta={barMeta}
        // Clearing the filters keeps the tab the user is on.
        onReset={() => {
          list.setQ('');
          for (const key of Object.keys(list.state.filters)) if (key !== 'status') list.setFilter(key, null);
        }}
      />
    </Flex>
  );
}
