import { BellOutlined } from '@ant-design/icons';
import { Badge, Button } from 'antd';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useUnreadCount } from './api.ts';

// The drawer's code loads when it is first opened: the header is on every page.
const InboxDrawer = lazy(() => import('./InboxDrawer.tsx'));

/** The header's bell: how many notifications are unread, and the drawer listing them. */
export function InboxBell() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [opened, setOpened] = useState(false);
  const unread = useUnreadCount().data ?? 0;
  const label = unread > 0 ? t('inbox.bellUnread', { count: unread }) : t('inbox.bell');
  return (
    <>
      <Badge count={unread} overflowCount={99} size="small" offset={[-4, 4]}>
        <Button
          type="text"
          shape="circle"
          icon={<BellOutlined style={{ fontSize: 18 }} />}
          aria-label={label}
          title={label}
          data-testid="inbox-bell"
          onClick={() => {
            setOpened(true);
            setOpen(true);
          }}
        />
      </Badge>
      {opened && (
        <Suspense fallback={null}>
          <InboxDrawer open={open} onClose={() => setOpen(false)} />
        </Suspense>
      )}
    </>
  );
}
