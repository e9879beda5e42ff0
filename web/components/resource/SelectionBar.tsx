import { Button, Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Item } from '../../api/resource.ts';
import { BulkActions } from './BulkActions.tsx';
import type { ResourceListPage } from './useResourceListPage.ts';

type SelectionBarProps = {
  view: ResourceListPage<Item>;
  selected: (number | string)[];
  onSelect: (keys: (number | string)[]) => void;
};

/** Above a list whose rows can be acted on: the bulk actions, how many rows are selected, and a way out. */
export function SelectionBar({ view, selected, onSelect }: SelectionBarProps) {
  const { t } = useTranslation();
  return (
    <Flex align="center" gap={12}>
      <BulkActions
        meta={view.meta}
        selected={selected}
        items={view.page.data?.items ?? []}
        run={(name, params) => view.mutations.action.mutateAsync({ name, ids: selected, params })}
        onDone={() => onSelect([])}
      />
      {selected.length > 0 && (
        <>
          <Typography.Text type="secondary">
            {t('resource.selected', { count: selected.length })}
          </Typography.Text>
          <Button type="link" size="small" onClick={() => onSelect([])}>
            {t('resource.clearSelection')}
          </Button>
        </>
      )}
    </Flex>
  );
}
