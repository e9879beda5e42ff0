import { ProfileOutlined } from '@ant-design/icons';
import { Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ResourceList } from '../../components/resource/ResourceList.tsx';

/** All customers, each with a link to its detail page. */
export default function CustomersPage() {
  const { t } = useTranslation();
  return (
    <ResourceList
      resource="customers"
      rowActions={(customer) => (
        // `fromList` lets the detail page's back link return to this very list (same page, same filters).
        <Link
          to={`/customers/${customer.id}`}
          state={{ fromList: true }}
          style={{ padding: '0 7px', whiteSpace: 'nowrap' }}
          data-testid={`customer-details-${customer.id}`}
        >
          <Space size={4}>
            <ProfileOutlined />
            {t('customers.details')}
          </Space>
        </Link>
      )}
    />
  );
}
