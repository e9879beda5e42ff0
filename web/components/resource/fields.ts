import i18next from 'i18next';
import type { EnumOption, Field, Item, ResourceMeta } from '../../api/resource.ts';
import { localTitle } from '../../app/menu.ts';
import type { Language } from '../../i18n/index.ts';

/** Helpers that read a resource's meta: which fields go where, and how their values are named. */

export const fieldTitle = (field: { title: string; titleEn: string }, language: Language): string =>
  localTitle(field, language);

export const listFields = (meta: ResourceMeta): Field[] => meta.fields.filter((field) => field.list);

export const filterFields = (meta: ResourceMeta): Field[] =>
  meta.fields.filter((field) => field.filter !== undefined);

/** The fields of the create or the edit form, in the meta's order. */
export function formFields(meta: ResourceMeta, mode: 'create' | 'edit'): Field[] {
  return meta.fields.filter(
    (field) => field.form && !(field.createOnly && mode === 'edit') && !(field.readOnly && mode === 'create'),
  );
}

export function findField(meta: ResourceMeta, key: string): Field | undefined {
  return meta.fields.find((field) => field.key === key);
}

export function enumOption(field: Field, value: unknown): EnumOption | undefined {
  return field.options?.find((option) => String(option.value) === String(value));
}

export function enumLabel(field: Field, value: unknown, language: Language): string {
  const option = enumOption(field, value);
  return option ? localTitle(option, language) : String(value);
}

/** What a ref stores: the referenced item's id unless the meta names another field (e.g. `code`). */
export const refValueKey = (field: Field): string => field.refValue ?? 'id';

/**
 * A referenced item's name: the meta's `refLabel`, else the usual naming fields, else its id — on
 * the English screen its English form where the item carries one (`titleEn`, `nameEn`, `labelEn`).
 */
export function refLabel(
  field: Field,
  item: Record<string, unknown>,
  // i18next's own language rather than i18n/index.ts, which this pure module must not pull in.
  language: Language = i18next.language === 'en' ? 'en' : 'zh-CN',
): string {
  const given = (value: unknown) => value !== undefined && value !== null && value !== '';
  for (const key of [field.refLabel, 'title', 'name', 'code', 'username']) {
    const value = key ? item[key] : undefined;
    if (!given(value)) continue;
    const english = language === 'en' ? item[`${key}En`] : undefined;
    return String(given(english) ? english : value);
  }
  return String(item[refValueKey(field)] ?? item.id ?? '');
}

/**
 * Where an item carries the referenced object(s) of a ref field: `departmentId` → `department`,
 * `roleIds` → `roles`, `parentCode` → `parent`.
 */
export function refObjectKeys(key: string): string[] {
  const keys: string[] = [];
  for (const [suffix, plural] of [
    ['Ids', true],
    ['Codes', true],
    ['Id', false],
    ['Code', false],
  ] as const) {
    if (key.endsWith(suffix) && key.length > suffix.length) {
      const stem = key.slice(0, -suffix.length);
      keys.push(plural ? `${stem}s` : stem);
    }
  }
  return keys;
}

type RefObject = Record<string, unknown>;

/** A stored ref value and its name; `carried` is false when the item had no object to name it. */
export type RefEntry = { value: unknown; label: string; carried: boolean };

/** The referenced objects an item carries for a ref field, paired with the stored values. */
export function refEntries(field: Field, item: Item, language: Language = 'zh-CN'): RefEntry[] {
  const stored = item[field.key];
  const values: unknown[] = Array.isArray(stored)
    ? stored
    : stored === null || stored === undefined
      ? []
      : [stored];
  const candidates = field.display ? [field.display] : refObjectKeys(field.key);
  const objectKey = candidates.find((key) => item[key] !== undefined);
  const carried = objectKey ? item[objectKey] : undefined;
  const objects: RefObject[] = (Array.isArray(carried) ? carried : carried ? [carried] : []).filter(
    (object): object is RefObject => typeof object === 'object' && object !== null,
  );
  const valueKey = refValueKey(field);
  if (values.length === 0) {
    return objects.map((object) => ({
      value: object[valueKey],
      label: refLabel(field, object, language),
      carried: true,
    }));
  }
  return values.map((value) => {
    const object = objects.find((candidate) => String(candidate[valueKey]) === String(value));
    return {
      value,
      label: object ? refLabel(field, object, language) : String(value),
      carried: object !== undefined,
    };
  });
}

/** How an item is named in confirmations: its label field, else its id. */
export function itemLabel(meta: ResourceMeta, item: Item): string {
  const value = item[meta.labelField];
  return value === undefined || value === null || value === '' ? `#${item.id}` : String(value);
}
