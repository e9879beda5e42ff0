import { Flex, Tabs } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader.tsx';
import { buttonsWidth } from '../../components/resource/columnWidths.ts';
import { ListLoadError } from '../../components/resource/listPage.tsx';
import { useResourceListPage } from '../../components/resource/useResourceListPage.ts';
import { FollowUpModal } from '../customers/FollowUpModal.tsx';
import { type PayingCustomer, PaymentModal } from '../payments/PaymentModal.tsx';
import type { MyCustomer } from './api.ts';
import { MyCustomersFilters } from './MyCustomersFilters.tsx';
import { MyCustomersTable } from './MyCustomersTable.tsx';
import { tabOf, tabs } from './tabs.ts';

/**
 * 我的客户 (docs/spec.md §3): the caller's periods of ownership, following first, then released, enrolled
 * last. Tabs pick a group of statuses (the `status` filter in the URL, as the API takes it); each
 * following row counts down to its release, and a quick follow-up restarts that clock.
 */
export default function MyCustomersPage() {
  const { t } = useTranslation();
  const { view, blocker } = useResourceListPage<MyCustomer>({
    resource: 'my-customers',
    // Unless the user sorts, the server orders by status group (following first, enrolled last)
    // and then newest first (docs/spec.md §3).
    serverOrder: true,
    operationsWidth: () => buttonsWidth([t('myCustomers.followUp')]),
  });
  const [followingUp, setFollowingUp] = useState<{ id: number; name: string } | null>(null);
  const [paying, setPaying] = useState<PayingCustomer | null>(null);
  if (!view) return blocker;

  const { list } = view;
  return (
    <Flex vertical gap={16} data-testid="my-customers-page">
      <PageHeader title={view.title} />
      <Tabs
        activeKey={tabOf(list.state.filters.status)}
        onChange={(key) =>
          list.setFilter('status', tabs.find((entry) => entry.key === key)?.statuses ?? null)
        }
        items={tabs.map((entry) => ({ key: entry.key, label: t(`myCustomers.tabs.${entry.key}`) }))}
        style={{ marginBottom: -16 }}
      />
      <MyCustomersFilters view={view} />
      <ListLoadError query={view.page} />
      <MyCustomersTable view={view} onFollowUp={setFollowingUp} onPay={setPaying} />
      <FollowUpModal customer={followingUp} onClose={() => setFollowingUp(null)} />
      <PaymentModal customer={paying} onClose={() => setPaying(null)} />
    </Flex>
  );
}
