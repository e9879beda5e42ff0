import { ArrowLeftOutlined, EditOutlined, EyeOutlined, PayCircleOutlined } from '@ant-design/icons';
import { Button, Flex, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router';
import type { Item, ResourceMeta } from '../../api/resource.ts';
import { enumLabel, findField, itemLabel } from '../../components/resource/fields.ts';
import { currentLanguage } from '../../i18n/index.ts';

/** The customer's name, status and consultant, what the caller may do with it, and the way back. */
export function CustomerHeader({
  meta,
  customer,
  readOnly,
  onEdit,
  onPay,
}: {
  meta: ResourceMeta;
  customer: Item;
  readOnly: boolean;
  onEdit: (() => void) | null;
  onPay: (() => void) | null;
}) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const statusField = findField(meta, 'status');
  const consultant = customer.consultant as { name?: string } | null | undefined;
  return (
    <Flex vertical gap={8}>
      <BackToList readOnly={readOnly} />
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Space align="center" wrap>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {itemLabel(meta, customer)}
          </Typography.Title>
          {statusField && customer.status != null && (
            <Tag color={customer.status === 'enrolled' ? 'green' : 'blue'}>
              {enumLabel(statusField, customer.status, language)}
            </Tag>
          )}
          {readOnly && (
            <Tag icon={<EyeOutlined />} data-testid="customer-read-only-tag">
              {t('customers.formerOwnerTitle')}
            </Tag>
          )}
          <Typography.Text type="secondary">
            {t('customers.consultantIs', { name: consultant?.name || t('customers.noConsultant') })}
          </Typography.Text>
        </Space>
        <Space>
          {onPay && (
            <Button type="primary" icon={<PayCircleOutlined />} onClick={onPay} data-testid="customer-pay">
              {t('payment.action')}
            </Button>
          )}
          {onEdit && (
            <Button icon={<EditOutlined />} onClick={onEdit} data-testid="customer-edit">
              {t('resource.edit')}
            </Button>
          )}
        </Space>
      </Flex>
    </Flex>
  );
}

/**
 * Back to the list as the user left it: from the list (its page and filters are in that entry's
 * URL) that is one step back in the history; from anywhere else, the list itself. The list is the
 * one the page was opened from — all customers, or "my customers" (`list` in the state) — and for
 * a former owner, who finds the customer only among their own, "my customers".
 */
function BackToList({ readOnly }: { readOnly: boolean }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const state = location.state as { fromList?: boolean; list?: string } | null;
  const fromList = state?.fromList === true;
  const mine = state?.list === '/my-customers' || (!fromList && readOnly);
  return (
    <Link
      to={mine ? '/my-customers' : '/customers'}
      onClick={(event) => {
        if (!fromList || event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
        event.preventDefault();
        void navigate(-1);
      }}
      data-testid="customer-back"
    >
      <Space size={4}>
        <ArrowLeftOutlined />
        {t(mine ? 'customers.backToMyCustomers' : 'customers.backToList')}
      </Space>
    </Link>
  );
}
