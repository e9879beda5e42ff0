import { Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Item } from '../../api/resource.ts';
import { localTitle } from '../../app/menu.ts';
import { useCurrentUser } from '../../app/useMe.ts';
import { ResourceList } from '../../components/resource/ResourceList.tsx';
import { currentLanguage } from '../../i18n/index.ts';

/** Where a record is opened: its own page where it has one, else its list showing it alone (`?id=`). */
const recordPages: Record<string, { list: string; detail?: (id: number) => string }> = {
  customers: { list: '/customers', detail: (id) => `/customers/${id}` },
  roles: { list: '/system/roles', detail: (id) => `/system/roles/${id}` },
  users: { list: '/system/users' },
  permissions: { list: '/system/permissions' },
  departments: { list: '/system/departments' },
  notifications: { list: '/system/notifications' },
  schools: { list: '/schools' },
  courses: { list: '/courses' },
  classes: { list: '/classes' },
  students: { list: '/students' },
  'course-records': { list: '/course-records' },
  'study-records': { list: '/study-records' },
  'consult-records': { list: '/consult-records' },
  'payment-records': { list: '/payment-records' },
  distributions: { list: '/distributions' },
};

type AuditItem = Item & {
  entity: string;
  entityId: number | null;
  action: string;
  recordName: string | null;
  recordNameEn: string | null;
  count: number | null;
  changes: { key: string; title: string; titleEn: string }[];
};

/**
 * 操作日志: who did what to which record, in words — the generic list, with the record named and
 * linked where the reader may open it, and an edit's changed fields beside it.
 */
export default function AuditLogPage() {
  return (
    <ResourceList
      resource="audit-log"
      cells={{ recordName: (item) => <AuditRecord item={item as AuditItem} /> }}
    />
  );
}

function AuditRecord({ item }: { item: AuditItem }) {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const language = currentLanguage();
  const opens = new Set(me.menus.flatMap((menu) => menu.items.map((page) => page.path)));
  const changed = item.changes.map((change) => localTitle(change, language));
  const note = changed.length ? (
    <Typography.Text type="secondary">
      {t('audit.changed', { fields: changed.join(t('app.listSeparator')) })}
    </Typography.Text>
  ) : null;

  if (item.entityId === null) {
    return item.count === null ? (
      <Typography.Text type="secondary">—</Typography.Text>
    ) : (
      <span>{t('audit.records', { count: item.count })}</span>
    );
  }
  const name = (language === 'en' && item.recordNameEn) || item.recordName || `#${item.entityId}`;
  const page = recordPages[item.entity];
  const path =
    page && opens.has(page.list) && item.action !== 'delete'
      ? (page.detail?.(item.entityId) ?? `${page.list}?id=${item.entityId}`)
      : null;
  return (
    <Flex vertical gap={0}>
      {path ? (
        <Link to={path} data-testid={`audit-record-${item.id}`}>
          {name}
        </Link>
      ) : (
        <span>{name}</span>
      )}
      {note}
    </Flex>
  );
}
