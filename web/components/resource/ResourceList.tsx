import { DownloadOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Flex, Space, Typography } from 'antd';
import { type ReactNode, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Item, resourceApi } from '../../api/resource.ts';
import { useMenuTitle } from '../../app/useMenuTitle.ts';
import { currentLanguage } from '../../i18n/index.ts';
import { BulkActions } from './BulkActions.tsx';
import { buttonsWidth } from './columnWidths.ts';
import { DeleteButton } from './DeleteButton.tsx';
import { describeError } from './errors.ts';
import { FilterBar } from './FilterBar.tsx';
import { fieldTitle, itemLabel } from './fields.ts';
import { useMetaBlocker, useStepBackPastEnd } from './listPage.tsx';
import { ResourceForm, type ResourceFormProps } from './ResourceForm.tsx';
import { ResourceTable } from './ResourceTable.tsx';
import { apiQuery, useListState } from './useListState.ts';
import { useResourceList, useResourceMeta, useResourceMutations } from './useResource.ts';
import type { FormValues } from './values.ts';

export type ResourceListProps = {
  /** The resource's API name, e.g. `users`. */
  resource: string;
  /** Buttons of a row besides edit and delete (a link to a detail page, say). */
  rowActions?: (item: Item) => ReactNode;
  /** Starting values of the create form. */
  createDefaults?: FormValues;
  /** Whether changes may alter the signed-in user's menus or permissions (roles, menus…). */
  refreshesMe?: boolean;
  /** Fields left out of the form (edited elsewhere). */
  omitFormFields?: string[];
  /** After a create, e.g. to open the new item's own page. */
  onCreated?: (item: Item) => void;
  /** The add button's words when "new" is not the right one (customers: 录入客户). */
  addLabel?: string;
  /** Cells the page draws itself, by field key. */
  cells?: Record<string, (item: Item) => ReactNode>;
} & Pick<ResourceFormProps, 'fieldHints' | 'createdMessage' | 'existingPath'>;

/** Room for a page's own row buttons before they are measured: one short link with an icon. */
const ROW_ACTION_GUESS = 80;

/**
 * The list page of any resource, built from `GET /api/meta/<resource>`: search, filters, sort and
 * paging kept in the URL, bulk actions on selected rows, add/edit in a drawer, delete with a
 * confirmation. Only what the user may do is offered.
 */
export function ResourceList(props: ResourceListProps) {
  const { resource, rowActions, createDefaults, refreshesMe, omitFormFields, onCreated, addLabel, cells } =
    props;
  const { fieldHints, createdMessage, existingPath } = props;
  const { t } = useTranslation();
  const { message } = App.useApp();
  const metaQuery = useResourceMeta(resource);
  const meta = metaQuery.data;
  const list = useListState();
  const query = useMemo(() => (meta ? apiQuery(list.state, meta) : null), [list.state, meta]);
  const page = useResourceList(resource, query);
  const mutations = useResourceMutations(resource, { refreshesMe });
  const [editing, setEditing] = useState<Item | 'new' | null>(null);
  const [selected, setSelected] = useState<(number | string)[]>([]);
  const pageTitle = useMenuTitle();

  // A new query (another page, filter or sort) starts a new selection.
  const queryText = query?.toString() ?? '';
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset exactly when the query changes
  useEffect(() => setSelected([]), [queryText]);

  useStepBackPastEnd(page, list);
  const blocker = useMetaBlocker(metaQuery);
  if (blocker || !meta) return blocker;

  const { allowed } = meta;
  const canAct = meta.actions.some((action) => allowed.actions[action.name]);
  const filtered = list.state.q !== '' || Object.keys(list.state.filters).length > 0;

  const remove = async (item: Item) => {
    try {
      await mutations.remove.mutateAsync(item.id);
      message.success(t('resource.deleted'));
    } catch (error) {
      message.error(describeError(error, t));
    }
  };

  const operations =
    allowed.update || allowed.delete || rowActions
      ? (item: Item) => (
          <Space size={0} wrap={false}>
            {rowActions?.(item)}
            {allowed.update && (
              <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing(item)}>
                {t('resource.edit')}
              </Button>
            )}
            {allowed.delete && <DeleteButton name={itemLabel(meta, item)} onConfirm={() => remove(item)} />}
          </Space>
        )
      : null;

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {pageTitle ?? fieldTitle(meta, currentLanguage())}
        </Typography.Title>
        <Space>
          {allowed.export && (
            <Button
              icon={<DownloadOutlined />}
              href={resourceApi.exportUrl(
                resource,
                apiQuery(list.state, meta, { paged: false }),
                currentLanguage() === 'en' ? 'en' : 'zh',
              )}
            >
              {t('resource.export')}
            </Button>
          )}
          {allowed.create && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setEditing('new')}
              data-testid="resource-add"
            >
              {addLabel ?? t('resource.add')}
            </Button>
          )}
        </Space>
      </Flex>
      <FilterBar
        meta={meta}
        state={list.state}
        onSearch={list.setQ}
        onFilter={list.setFilter}
        onReset={list.reset}
      />
      {canAct && (
        <Flex align="center" gap={12}>
          <BulkActions
            meta={meta}
            selected={selected}
            items={page.data?.items ?? []}
            run={(name, params) => mutations.action.mutateAsync({ name, ids: selected, params })}
            onDone={() => setSelected([])}
          />
          {selected.length > 0 && (
            <>
              <Typography.Text type="secondary">
                {t('resource.selected', { count: selected.length })}
              </Typography.Text>
              <Button type="link" size="small" onClick={() => setSelected([])}>
                {t('resource.clearSelection')}
              </Button>
            </>
          )}
        </Flex>
      )}
      {page.isError && <Alert type="error" showIcon title={describeError(page.error, t)} role="alert" />}
      <ResourceTable
        meta={meta}
        state={list.state}
        data={page.data}
        loading={page.isFetching}
        filtered={filtered}
        selected={selected}
        onSelect={canAct ? setSelected : null}
        onSort={list.setSort}
        onPage={list.setPage}
        operations={operations}
        operationsWidth={
          buttonsWidth([
            ...(allowed.update ? [t('resource.edit')] : []),
            ...(allowed.delete ? [t('resource.delete')] : []),
          ]) + (rowActions ? ROW_ACTION_GUESS : 0)
        }
        cells={cells}
      />
      {editing && (
        <ResourceForm
          meta={meta}
          item={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          createDefaults={createDefaults}
          refreshesMe={refreshesMe}
          omitFields={omitFormFields}
          fieldHints={fieldHints}
          createdMessage={createdMessage}
          existingPath={existingPath}
          onSaved={editing === 'new' ? onCreated : undefined}
        />
      )}
    </Flex>
  );
}
