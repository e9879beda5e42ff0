import type { Field } from '../../api/resource.ts';

/** A field as `/api/meta` describes it, titled by its key, for the resource components' tests. */
export const testField = (key: string, kind: Field['kind'], extra: Partial<Field> = {}): Field => ({
  key,
  title: key,
  titleEn: key,
  kind,
  list: true,
  sortable: false,
  form: true,
  ...extra,
});
