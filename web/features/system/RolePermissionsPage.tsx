import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Flex, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { resourceApi, resourceKeys } from '../../api/resource.ts';
import { meQueryKey, useCurrentUser } from '../../app/useMe.ts';
import { PageLoading } from '../../components/PageLoading.tsx';
import { describeError } from '../../components/resource/errors.ts';
import { useResourceItem, useResourceList, useResourceMeta } from '../../components/resource/useResource.ts';
import { useConfirmLeave } from '../../components/useConfirmLeave.ts';
import NotFoundPage from '../errors/NotFoundPage.tsx';
import RecordUnavailablePage from '../errors/RecordUnavailablePage.tsx';
import { PermissionGroupCard } from './PermissionGroupCard.tsx';
import {
  groupPermissions,
  keepGrantable,
  type MenuGroupRow,
  menusOfPermissions,
  type Permission,
  toggleGroup,
  togglePermission,
} from './permissionGroups.ts';
import { RoleDetailsCard } from './RoleDetailsCard.tsx';
import { RoleHeader } from './RoleHeader.tsx';
import { changes, type Role, type RoleDraft } from './roleDraft.ts';

const allPermissions = new URLSearchParams({ pageSize: '200', sort: 'sort' });
const allMenus = new URLSearchParams({ pageSize: '200', sort: 'sort' });

/** One role: its name and description, and a matrix of every permission grouped by menu. */
export default function RolePermissionsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const id = Number(useParams().id);
  // Plain strings: the matrix's codes come from the permissions list, not from the compiled catalogue.
  const held = new Set<string>(useCurrentUser().permissions);
  const valid = Number.isInteger(id) && id > 0;

  const meta = useResourceMeta('roles');
  const role = useResourceItem<Role>('roles', valid ? id : null);
  const permissions = useResourceList<Permission>('permissions', allPermissions);
  const menus = useResourceList<MenuGroupRow>('menus', allMenus);
  const [draft, setDraft] = useState<RoleDraft>({});
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // Without access to the menus, the groups are the menus the permissions name.
  const menusDenied = menus.error instanceof ApiError && menus.error.status === 403;
  const groups = useMemo(() => {
    const items = permissions.data?.items ?? [];
    return groupPermissions(items, menus.data?.items ?? (menusDenied ? menusOfPermissions(items) : []));
  }, [permissions.data, menus.data, menusDenied]);
  const saved = useMemo(() => new Set(role.data?.permissionCodes ?? []), [role.data]);
  // The editor may grant only what they hold (the server refuses the rest); what the role had when
  // saved it may keep, or get back after an untick.
  const grantable = (code: string) => held.has(code) || saved.has(code);
  const body = role.data ? changes(role.data, draft, saved) : {};
  const dirty = Object.keys(body).length > 0;
  useConfirmLeave(dirty);

  if (!valid) return <NotFoundPage />;
  if (role.error instanceof ApiError && role.error.status === 404) return <RecordUnavailablePage />;
  const failure = role.error ?? permissions.error ?? (menusDenied ? null : menus.error);
  if (failure) return <Alert type="error" showIcon title={describeError(failure, t)} />;
  if (!role.data || !permissions.data || !(menus.data || menusDenied)) return <PageLoading />;

  const current = role.data;
  const granted = draft.codes ?? saved;
  const title = draft.title ?? current.title;
  const description = draft.description ?? current.description ?? '';
  const canEdit = (meta.data?.allowed.update ?? false) && current.editable !== false;
  const maxLength = (key: string) => meta.data?.fields.find((field) => field.key === key)?.maxLength;
  const list = permissions.data.items;
  // Say why ticks are greyed out, so a delegated editor is not left guessing.
  const locked = !canEdit
    ? current.editable === false
      ? t('system.roleAdminOnly')
      : null
    : list.some((p) => !grantable(p.code))
      ? t('system.grantOnlyHeld')
      : null;

  const save = async () => {
    if (!title.trim()) return;
    setSaving(true);
    setError(null);
    try {
      const updated = await resourceApi.update('roles', current.id, body);
      // Show the saved role at once, so the ticks do not flicker back while it reloads.
      queryClient.setQueryData(resourceKeys.item('roles', current.id), updated);
      setDraft({});
      message.success(t('system.saved'));
      // The signed-in user's menus change when their own role did.
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: resourceKeys.all }),
        queryClient.invalidateQueries({ queryKey: meQueryKey }),
      ]);
    } catch (failed) {
      setError(describeError(failed, t));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Flex vertical gap={16} style={{ maxWidth: 1100 }}>
      <RoleHeader
        role={current}
        dirty={dirty}
        save={canEdit ? { onSave: () => void save(), saving, disabled: !dirty || !title.trim() } : null}
      />
      {error && (
        <Alert type="error" showIcon title={error} role="alert" closable onClose={() => setError(null)} />
      )}
      {locked && <Alert type="info" showIcon title={locked} data-testid="role-locked" />}
      <RoleDetailsCard
        title={title}
        description={description}
        maxLength={maxLength}
        disabled={!canEdit || saving}
        onChange={(change) => setDraft({ ...draft, ...change })}
      />
      <Typography.Text type="secondary">
        {t('system.grantedCount', {
          count: list.filter((p) => granted.has(p.code)).length,
          total: list.length,
        })}
      </Typography.Text>
      {groups.map((group) => (
        <PermissionGroupCard
          key={group.key}
          group={group}
          granted={granted}
          disabled={!canEdit || saving}
          grantable={grantable}
          onToggle={(code, checked) =>
            setDraft({
              ...draft,
              codes: keepGrantable(togglePermission(granted, code, checked, list), granted, grantable),
            })
          }
          onToggleAll={(checked) =>
            setDraft({
              ...draft,
              codes: keepGrantable(toggleGroup(granted, group, checked), granted, grantable),
            })
          }
        />
      ))}
    </Flex>
  );
}
