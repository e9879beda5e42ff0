import { Alert, Card, Col, Flex, Row, Skeleton } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { useCurrentUser } from '../../app/useMe.ts';
import { describeError } from '../../components/resource/errors.ts';
import { ResourceForm } from '../../components/resource/ResourceForm.tsx';
import { useResourceItem, useResourceMeta } from '../../components/resource/useResource.ts';
import ForbiddenPage from '../errors/ForbiddenPage.tsx';
import NotFoundPage from '../errors/NotFoundPage.tsx';
import RecordUnavailablePage from '../errors/RecordUnavailablePage.tsx';
import { type PayingCustomer, PaymentModal } from '../payments/PaymentModal.tsx';
import { CustomerHeader } from './CustomerHeader.tsx';
import { CustomerProfile } from './CustomerProfile.tsx';
import { CustomerTimeline } from './CustomerTimeline.tsx';
import { FollowUpForm } from './FollowUpForm.tsx';
import { StudentCard } from './StudentCard.tsx';

/**
 * One customer (docs/spec.md §7): its file on the left, what happened to it on the right. The right-hand
 * column is the customer's activity: a follow-up form (for whoever may add follow-ups) above the
 * student it became and the timeline. A consultant who owned the customer once reads it as the
 * server shows them (`access: 'former_owner'`): contacts masked, their own part of the story, and
 * nothing to change.
 */
export default function CustomerDetailPage() {
  const { t } = useTranslation();
  const id = Number(useParams().id);
  const valid = Number.isInteger(id) && id > 0;
  const meta = useResourceMeta('customers');
  const customer = useResourceItem('customers', valid ? id : null);
  const [editing, setEditing] = useState(false);
  const [paying, setPaying] = useState<PayingCustomer | null>(null);
  const { permissions } = useCurrentUser();

  const failure = meta.error ?? customer.error;
  if (!valid) return <NotFoundPage />;
  // The server answers "not found" and "not yours" alike: the page says both.
  if (failure instanceof ApiError && failure.status === 404) return <RecordUnavailablePage />;
  if (failure instanceof ApiError && failure.status === 403) return <ForbiddenPage />;
  if (failure) return <Alert type="error" showIcon title={describeError(failure, t)} />;
  if (!meta.data || !customer.data) return <DetailSkeleton />;

  const readOnly = customer.data.access === 'former_owner';
  const canFollowUp = !readOnly && permissions.includes('consult_record.create');
  const canPay = !readOnly && permissions.includes('payment_record.create');
  const canEdit = !readOnly && meta.data.allowed.update;

  return (
    <Flex vertical gap={16} data-testid="customer-detail">
      <CustomerHeader
        meta={meta.data}
        customer={customer.data}
        readOnly={readOnly}
        onEdit={canEdit ? () => setEditing(true) : null}
        onPay={
          canPay
            ? () => setPaying({ id, name: String(customer.data.name), status: customer.data.status })
            : null
        }
      />
      {readOnly && (
        <Alert type="info" showIcon title={t('customers.formerOwner')} data-testid="customer-read-only" />
      )}
      <Row gutter={[16, 16]} align="top">
        <Col xs={24} xl={14}>
          <Card size="small" title={t('customers.profile')}>
            <CustomerProfile meta={meta.data} customer={customer.data} />
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Flex vertical gap={16} data-testid="customer-activity">
            {!readOnly && <StudentCard customerId={id} />}
            {canFollowUp && <FollowUpForm customerId={id} />}
            <Card size="small" title={t('customers.activity')}>
              <CustomerTimeline customerId={id} meta={meta.data} />
            </Card>
          </Flex>
        </Col>
      </Row>
      {editing && <ResourceForm meta={meta.data} item={customer.data} onClose={() => setEditing(false)} />}
      <PaymentModal customer={paying} onClose={() => setPaying(null)} />
    </Flex>
  );
}

function DetailSkeleton() {
  return (
    <Flex vertical gap={16}>
      <Skeleton active title={{ width: 240 }} paragraph={{ rows: 1 }} />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Card size="small">
            <Skeleton active paragraph={{ rows: 8 }} />
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card size="small">
            <Skeleton active paragraph={{ rows: 6 }} />
          </Card>
        </Col>
      </Row>
    </Flex>
  );
}
