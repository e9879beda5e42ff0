import { PayCircleOutlined, ProfileOutlined } from '@ant-design/icons';
import { Button, Tooltip } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCurrentUser } from '../../app/useMe.ts';
import { ResourceList } from '../../components/resource/ResourceList.tsx';
import { RowPageLink } from '../../components/resource/RowPageLink.tsx';
import { type PayingCustomer, PaymentModal } from '../payments/PaymentModal.tsx';

/**
 * All customers, each with a link to its detail page and, for whoever takes payments, 登记缴费;
 * and single entry (录入客户). Whoever may assign customers may name the consultant of a new one;
 * left empty, or for everyone else, the server's rotation by weight picks one (or the customer goes
 * to the pool). A contact already on file answers `409 duplicate`, which the form shows on that
 * field with the customer it matches.
 */
export default function CustomersPage() {
  const { t } = useTranslation();
  const { permissions } = useCurrentUser();
  const canAssign = permissions.includes('customer.assign');
  const canPay = permissions.includes('payment_record.create');
  const [paying, setPaying] = useState<PayingCustomer | null>(null);
  return (
    <>
      <ResourceList
        resource="customers"
        addLabel={t('customers.add')}
        omitFormFields={canAssign ? undefined : ['consultantId']}
        fieldHints={{ consultantId: t('customers.consultantHint') }}
        createdMessage={(customer) => {
          const consultant = customer.consultant as { name?: string } | null | undefined;
          return consultant?.name
            ? t('customers.createdFor', { name: consultant.name })
            : t('customers.createdToPool');
        }}
        existingPath={(id) => `/customers/${id}`}
        rowActions={(customer) => (
          <>
            <RowPageLink
              to={`/customers/${customer.id}`}
              icon={<ProfileOutlined />}
              label={t('customers.details')}
              testId={`customer-details-${customer.id}`}
            />
            {canPay && (
              // A short word: the pinned operations column must leave the list room at 1366 px.
              <Tooltip title={t('payment.action')}>
                <Button
                  type="link"
                  size="small"
                  icon={<PayCircleOutlined />}
                  aria-label={t('payment.action')}
                  onClick={() =>
                    setPaying({ id: customer.id, name: String(customer.name), status: customer.status })
                  }
                  data-testid={`customer-pay-${customer.id}`}
                >
                  {t('payment.short')}
                </Button>
              </Tooltip>
            )}
          </>
        )}
      />
      <PaymentModal customer={paying} onClose={() => setPaying(null)} />
    </>
  );
}
