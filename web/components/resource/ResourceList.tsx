import { DownloadOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Flex, Space } from 'antd';
import { type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Item, resourceApi } from '../../api/resource.ts';
import { currentLanguage } from '../../i18n/index.ts';
import { PageHeader } from '../PageHeader.tsx';
import { buttonsWidth } from './columnWidths.ts';
import { DeleteButton } from './DeleteButton.tsx';
import { FilterBar } from './FilterBar.tsx';
import { itemLabel } from './fields.ts';
import { ListLoadError } from './listPage.tsx';
import { ResourceForm, type ResourceFormProps } from './ResourceForm.tsx';
import { ResourceTable } from './ResourceTable.tsx';
import { SelectionBar } from './SelectionBar.tsx';
import { apiQuery } from './useListState.ts';
import { useResourceListPage } from './useResourceListPage.ts';
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
  /** Something the page shows between its heading and the filters (the notification channels). */
  banner?: ReactNode;
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
  const { banner } = props;
  const { fieldHints, createdMessage, existingPath } = props;
  const { t } = useTranslation();
  const { view, blocker } = useResourceListPage<Item>({
    resource,
    refreshesMe,
    operationsWidth: ({ allowed }) =>
      buttonsWidth([
        ...(allowed.update ? [t('resource.edit')] : []),
        ...(allowed.delete ? [t('resource.delete')] : []),
      ]) + (rowActions ? ROW_ACTION_GUESS : 0),
  });
  const [editing, setEditing] = useState<Item | 'new' | null>(null);
  const [selected, setSelected] = useState<(number | string)[]>([]);

  // A new query (another page, filter or sort) starts a new selection.
  const queryText = view?.query.toString() ?? '';
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset exactly when the query changes
  useEffect(() => setSelected([]), [queryText]);

  if (!view) return blocker;
  const { meta, list } = view;
  const { allowed } = meta;
  const canAct = meta.actions.some((action) => allowed.actions[action.name]);

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
            {allowed.delete && (
              <DeleteButton name={itemLabel(meta, item)} onConfirm={() => view.remove(item.id)} />
            )}
          </Space>
        )
      : null;

  return (
    <Flex vertical gap={16}>
      <PageHeader
        title={view.title}
        extra={
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
        }
      />
      {banner}
      <FilterBar {...view.filterBar} />
      {canAct && <SelectionBar view={view} selected={selected} onSelect={setSelected} />}
      <ListLoadError query={view.page} />
      <ResourceTable
        view={view}
        selected={selected}
        onSelect={canAct ? setSelected : null}
        operations={operations}
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
