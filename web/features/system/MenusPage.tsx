import { ArrowDownOutlined, ArrowUpOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Flex, Space, Table, type TableColumnsType, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Item } from '../../api/resource.ts';
import { useMenuTitle } from '../../app/useMenuTitle.ts';
import { PageLoading } from '../../components/PageLoading.tsx';
import { CellValue } from '../../components/resource/CellValue.tsx';
import { DeleteButton } from '../../components/resource/DeleteButton.tsx';
import { describeError } from '../../components/resource/errors.ts';
import { fieldTitle, itemLabel, listFields } from '../../components/resource/fields.ts';
import { ResourceForm } from '../../components/resource/ResourceForm.tsx';
import {
  useResourceList,
  useResourceMeta,
  useResourceMutations,
} from '../../components/resource/useResource.ts';
import { currentLanguage } from '../../i18n/index.ts';

const allMenus = new URLSearchParams({ pageSize: '200', sort: 'sort' });

/**
 * The side menu's groups, in the order the menu shows them. The order is the point of this page,
 * so it is one unpaged, unsorted table with arrows, not the generic list.
 */
export default function MenusPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const meta = useResourceMeta('menus');
  const list = useResourceList('menus', allMenus);
  const mutations = useResourceMutations('menus', { refreshesMe: true });
  const [editing, setEditing] = useState<Item | 'new' | null>(null);
  const pageTitle = useMenuTitle();

  const failure = meta.error ?? list.error;
  if (failure) return <Alert type="error" showIcon title={describeError(failure, t)} />;
  if (!meta.data || !list.data) return <PageLoading />;

  const { allowed } = meta.data;
  const canReorder = allowed.actions.reorder ?? allowed.update;
  const items = list.data.items;
  const language = currentLanguage();

  const move = async (index: number, offset: -1 | 1) => {
    const ids = items.map((item) => item.id);
    const target = index + offset;
    const [moved] = ids.splice(index, 1);
    if (moved === undefined || target < 0 || target > ids.length) return;
    ids.splice(target, 0, moved);
    try {
      await mutations.action.mutateAsync({ name: 'reorder', ids });
      message.success(t('system.reordered'));
    } catch (error) {
      message.error(describeError(error, t));
    }
  };

  const busy = mutations.action.isPending;
  const columns: TableColumnsType<Item> = [];
  if (canReorder) {
    columns.push({
      key: '$order',
      title: t('system.menuOrder'),
      width: 110,
      render: (_value: unknown, _item: Item, index: number) => (
        <Space size={4}>
          <Button
            size="small"
            icon={<ArrowUpOutlined />}
            aria-label={t('system.moveUp')}
            disabled={index === 0 || busy}
            onClick={() => void move(index, -1)}
          />
          <Button
            size="small"
            icon={<ArrowDownOutlined />}
            aria-label={t('system.moveDown')}
            disabled={index === items.length - 1 || busy}
            onClick={() => void move(index, 1)}
          />
        </Space>
      ),
    });
  }
  for (const field of listFields(meta.data)) {
    columns.push({
      key: field.key,
      title: fieldTitle(field, language),
      // The icon itself (the meta's `format: 'icon'`), its name only in an administrator's tooltip.
      render: (_value: unknown, item: Item) => <CellValue field={field} item={item} />,
    });
  }
  const remove = async (item: Item) => {
    try {
      await mutations.remove.mutateAsync(item.id);
      message.success(t('resource.deleted'));
    } catch (error) {
      message.error(describeError(error, t));
    }
  };
  if (allowed.update || allowed.delete) {
    columns.push({
      key: '$operations',
      title: t('resource.operations'),
      render: (_value: unknown, item: Item) => (
        <Space size={0}>
          {allowed.update && (
            <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing(item)}>
              {t('resource.edit')}
            </Button>
          )}
          {allowed.delete && (
            <DeleteButton name={itemLabel(meta.data, item)} onConfirm={() => remove(item)} />
          )}
        </Space>
      ),
    });
  }

  return (
    <Flex vertical gap={16} style={{ maxWidth: 1000 }}>
      <Flex justify="space-between" align="center">
        <Typography.Title level={4} style={{ margin: 0 }}>
          {pageTitle ?? fieldTitle(meta.data, language)}
        </Typography.Title>
        {allowed.create && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
            {t('resource.add')}
          </Button>
        )}
      </Flex>
      <Typography.Text type="secondary">{t('system.menusHint')}</Typography.Text>
      <Table<Item>
        rowKey="id"
        columns={columns}
        dataSource={items}
        loading={list.isFetching || busy}
        pagination={false}
      />
      {editing && (
        <ResourceForm
          meta={meta.data}
          item={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          refreshesMe
        />
      )}
    </Flex>
  );
}
