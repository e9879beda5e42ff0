import { useQueries, useQuery } from '@tanstack/react-query';
import { Select, type SelectProps } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Field, type Item, resourceApi, resourceKeys } from '../../api/resource.ts';
import { currentLanguage, type Language } from '../../i18n/index.ts';
import { refLabel, refValueKey } from './fields.ts';
import { refLabelQuery } from './refLookup.ts';

type RefValue = string | number;
export type RefOption = { value: RefValue; label: string };

type RefSelectProps = {
  field: Field;
  value?: RefValue | RefValue[] | null;
  onChange?: (value: RefValue | RefValue[] | null) => void;
  multiple?: boolean;
  /** Labels already known for the current value (an item carries its refs' names). */
  knownOptions?: RefOption[];
  /** More of the picker's query, e.g. `{ open: 'true' }`: only classes open for enrolment. */
  pickParams?: Record<string, string>;
  /**
   * Choosing values to give (a form's), not to filter by: items the server marks
   * `assignable: false` for the caller (a role with permissions they lack) are shown but cannot be
   * newly chosen, as the server would refuse them.
   */
  toAssign?: boolean;
} & Pick<SelectProps, 'placeholder' | 'prefix' | 'style' | 'disabled' | 'id' | 'allowClear' | 'maxTagCount'>;

const SEARCH_PAGE_SIZE = 20;

/**
 * Picks items of another resource by searching it on the server (`GET /api/<ref>?q=…`), for a
 * ref field of a form or a filter. Values are the referenced items' `refValue` (their id unless
 * the meta says otherwise); labels come from the search results, from the item being edited, or
 * — for a value restored from the URL — from looking that item up.
 */
export function RefSelect({
  field,
  value,
  onChange,
  multiple,
  knownOptions,
  pickParams,
  toAssign,
  ...props
}: RefSelectProps) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const ref = field.ref ?? '';
  const [search, setSearch] = useState('');
  const debounced = useDebounced(search.trim(), 250);
  const [open, setOpen] = useState(false);

  const query = new URLSearchParams({ ...pickParams, pageSize: String(SEARCH_PAGE_SIZE) });
  if (debounced) query.set('q', debounced);
  const results = useQuery({
    queryKey: resourceKeys.options(ref, query.toString()),
    queryFn: () => resourceApi.pick(ref, query),
    enabled: open && ref !== '',
    staleTime: 30_000,
  });
  const found = toOptions(field, results.data?.items, language);

  // Remember every label seen, so a chosen value keeps its name when the search moves on.
  const [seen, setSeen] = useState<Map<string, string>>(() => new Map());
  useEffect(() => {
    const fresh = [...(knownOptions ?? []), ...toOptions(field, results.data?.items, language)];
    if (fresh.length === 0) return;
    setSeen((previous) => {
      if (fresh.every((option) => previous.get(String(option.value)) === option.label)) return previous;
      const next = new Map(previous);
      for (const option of fresh) next.set(String(option.value), option.label);
      return next;
    });
  }, [knownOptions, results.data, field, language]);

  const selected = Array.isArray(value) ? value : value === null || value === undefined ? [] : [value];
  const fetched = useFetchedLabels(field, selected, seen, language);
  const options = toAssign ? withoutUnassignable(found, results.data?.items, selected) : [...found];
  for (const v of selected) {
    if (!options.some((option) => String(option.value) === String(v))) {
      options.push({ value: v, label: seen.get(String(v)) ?? fetched.get(String(v)) ?? String(v) });
    }
  }

  return (
    <Select<RefValue | RefValue[]>
      {...props}
      mode={multiple ? 'multiple' : undefined}
      value={multiple ? selected : (selected[0] ?? null)}
      onChange={(next) => onChange?.(next ?? (multiple ? [] : null))}
      options={options}
      loading={results.isFetching}
      notFoundContent={results.isFetching ? t('app.loading') : undefined}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) setSearch('');
      }}
      allowClear={props.allowClear ?? true}
    />
  );
}

/** Options the caller may not newly give are disabled; those already chosen stay removable. */
function withoutUnassignable(
  options: RefOption[],
  items: Item[] | undefined,
  selected: RefValue[],
): (RefOption & { disabled?: boolean })[] {
  return options.map((option, index) => {
    const chosen = selected.some((value) => String(value) === String(option.value));
    return items?.[index]?.assignable === false && !chosen ? { ...option, disabled: true } : option;
  });
}

function toOptions(field: Field, items: Item[] | undefined, language: Language): RefOption[] {
  const valueKey = refValueKey(field);
  return (items ?? []).map((item) => ({
    value: item[valueKey] as RefValue,
    label: refLabel(field, item, language),
  }));
}

/** Looks up, one by one, the names of chosen values that no loaded option names. */
function useFetchedLabels(
  field: Field,
  values: RefValue[],
  known: Map<string, string>,
  language: Language,
): Map<string, string> {
  const missing = values.filter((value) => !known.has(String(value)));
  const fetched = useQueries({ queries: missing.map((value) => refLabelQuery(field, value, language)) });
  const labels = new Map<string, string>();
  for (const [index, value] of missing.entries()) {
    const label = fetched[index]?.data;
    if (label) labels.set(String(value), label);
  }
  return labels;
}

function useDebounced<T>(value: T, delayMs: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return debounced;
}
