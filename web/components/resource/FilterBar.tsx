import { Button, Flex, Input, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ResourceMeta } from '../../api/resource.ts';
import { currentLanguage } from '../../i18n/index.ts';
import { FilterControl } from './FilterControl.tsx';
import { fieldTitle, filterFields, findField } from './fields.ts';
import { type ListState, ONE_RECORD } from './useListState.ts';

export type FilterBarProps = {
  meta: ResourceMeta;
  state: ListState;
  onSearch: (q: string) => void;
  onFilter: (key: string, value: string | null) => void;
  onReset: () => void;
};

/** The search box (over the meta's `searchFields`) and one control per filterable field. */
export function FilterBar({ meta, state, onSearch, onFilter, onReset }: FilterBarProps) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const [q, setQ] = useState(state.q);
  useEffect(() => setQ(state.q), [state.q]);

  const searchable = meta.searchFields
    .map((key) => findField(meta, key))
    .filter((field) => field !== undefined)
    .map((field) => fieldTitle(field, language));
  const filters = filterFields(meta);
  const only = state.filters[ONE_RECORD];
  const active = state.q !== '' || filters.some((field) => state.filters[field.key]) || Boolean(only);

  return (
    <Flex wrap gap={8} align="center">
      {meta.searchFields.length > 0 && (
        <Input.Search
          aria-label={t('resource.search')}
          placeholder={t('resource.searchPlaceholder', { fields: searchable.join(t('app.listSeparator')) })}
          allowClear
          value={q}
          onChange={(event) => setQ(event.target.value)}
          onSearch={(value) => onSearch(value)}
          style={{ width: 280 }}
        />
      )}
      {only && (
        // A link to one record (the audit log's): say so, and let the whole list come back.
        <Tag closable onClose={() => onFilter(ONE_RECORD, null)} data-testid="filter-one-record">
          {t('resource.onlyRecord')}
        </Tag>
      )}
      {filters.map((field) => (
        <FilterControl
          key={field.key}
          field={field}
          value={state.filters[field.key]}
          onChange={(value) => onFilter(field.key, value)}
        />
      ))}
      {active && (
        <Button type="link" onClick={onReset}>
          {t('resource.resetFilters')}
        </Button>
      )}
    </Flex>
  );
}
