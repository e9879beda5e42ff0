import { Alert, Button, Drawer, Empty, Flex, Pagination, Segmented, Spin, Typography, theme } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { formatDateTime } from '../../app/time.ts';
import { describeError } from '../../components/resource/errors.ts';
import { INBOX_PAGE_SIZE, type InboxItem, useInbox, useMarkRead } from './api.ts';

type Props = { open: boolean; onClose: () => void };

/**
 * The caller's notifications, newest first (all, or only the unread): opening one marks it read
 * and goes where it is acted on; "mark all read" clears the bell.
 */
export default function InboxDrawer({ open, onClose }: Props) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [page, setPage] = useState(1);
  const inbox = useInbox({ unread: unreadOnly, page }, open);
  const markRead = useMarkRead();
  const data = inbox.data;
  const unread = data?.unread ?? 0;

  const openItem = (item: InboxItem) => {
    if (item.readAt === null) markRead.mutate({ ids: [item.id] });
    if (item.link) {
      onClose();
      void navigate(item.link);
    }
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={420}
      title={t('inbox.title')}
      extra={
        <Button
          size="small"
          type="link"
          disabled={unread === 0}
          loading={markRead.isPending && 'all' in (markRead.variables ?? {})}
          onClick={() => markRead.mutate({ all: true })}
          data-testid="inbox-read-all"
        >
          {t('inbox.markAllRead')}
        </Button>
      }
      styles={{ body: { padding: 0 } }}
      data-testid="inbox-drawer"
    >
      <Flex vertical style={{ height: '100%' }}>
        <Flex align="center" justify="space-between" style={{ padding: '12px 16px 8px' }}>
          <Segmented
            size="small"
            value={unreadOnly ? 'unread' : 'all'}
            options={[
              { value: 'all', label: t('inbox.all') },
              {
                value: 'unread',
                label: unread > 0 ? t('inbox.unreadTab', { count: unread }) : t('inbox.unread'),
              },
            ]}
            onChange={(value) => {
              setUnreadOnly(value === 'unread');
              setPage(1);
            }}
          />
          {inbox.isFetching && <Spin size="small" />}
        </Flex>
        <div style={{ flex: 1, overflow: 'auto' }}>
          {inbox.isError ? (
            <Alert
              type="error"
              showIcon
              style={{ margin: 16 }}
              title={describeError(inbox.error, t)}
              action={
                <Button size="small" onClick={() => void inbox.refetch()}>
                  {t('errors.retry')}
                </Button>
              }
            />
          ) : !data ? (
            <Flex justify="center" style={{ padding: 48 }}>
              <Spin />
            </Flex>
          ) : data.items.length === 0 ? (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              style={{ marginTop: 48 }}
              description={unreadOnly ? t('inbox.noneUnread') : t('inbox.none')}
            />
          ) : (
            <ul style={{ listStyle: 'none', margin: 0, padding: 0 }} data-testid="inbox-list">
              {data.items.map((item) => (
                <li key={item.id}>
                  <InboxRow item={item} onOpen={() => openItem(item)} />
                </li>
              ))}
            </ul>
          )}
        </div>
        {data && data.total > INBOX_PAGE_SIZE && (
          <Flex justify="center" style={{ padding: 12 }}>
            <Pagination
              simple
              size="small"
              current={page}
              pageSize={INBOX_PAGE_SIZE}
              total={data.total}
              onChange={setPage}
            />
          </Flex>
        )}
      </Flex>
    </Drawer>
  );
}

function InboxRow({ item, onOpen }: { item: InboxItem; onOpen: () => void }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const unread = item.readAt === null;
  return (
    <button
      type="button"
      onClick={onOpen}
      data-testid={`inbox-item-${item.id}`}
      data-unread={unread ? 'true' : 'false'}
      aria-label={unread ? `${t('inbox.unreadMark')} ${item.title}` : item.title}
      style={{
        display: 'flex',
        gap: 10,
        width: '100%',
        textAlign: 'start',
        padding: '12px 16px',
        border: 'none',
        borderBottom: `1px solid ${token.colorBorderSecondary}`,
        background: unread ? token.colorPrimaryBg : 'transparent',
        cursor: item.link || unread ? 'pointer' : 'default',
        font: 'inherit',
        color: 'inherit',
      }}
    >
      <span
        aria-hidden
        style={{
          flex: 'none',
          width: 8,
          height: 8,
          marginTop: 7,
          borderRadius: '50%',
          background: unread ? token.colorPrimary : 'transparent',
        }}
      />
      <Flex vertical gap={2} style={{ minWidth: 0, flex: 1 }}>
        <Typography.Text strong={unread} style={{ overflowWrap: 'anywhere' }}>
          {item.title}
        </Typography.Text>
        <Typography.Paragraph
          type="secondary"
          style={{ margin: 0, whiteSpace: 'pre-line', overflowWrap: 'anywhere', fontSize: 13 }}
          ellipsis={{ rows: 3 }}
        >
          {item.text}
        </Typography.Paragraph>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {formatDateTime(item.createdAt)}
        </Typography.Text>
      </Flex>
    </button>
  );
}
