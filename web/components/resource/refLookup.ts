import { ApiError } from '../../api/client.ts';
import { type Field, hasNameOptions, resourceApi, resourceKeys } from '../../api/resource.ts';
import type { Language } from '../../i18n/index.ts';
import { refLabel, refValueKey } from './fields.ts';

/**
 * Query options that find the name of one referenced item, for items that carry only the stored
 * value of a ref: by id from the names-only endpoint where the resource has one (anyone may name a
 * course, a class or a member of staff), else `GET /api/<ref>/<id>`; for refs by another field
 * such as `code`, by filtering on it (`GET /api/<ref>?code=…`). Null when the item cannot be found
 * or seen.
 */
export function refLabelQuery(field: Field, value: string | number, language: Language) {
  const ref = field.ref ?? '';
  const by = refValueKey(field);
  return {
    queryKey: resourceKeys.label(ref, by, value, language),
    queryFn: async (): Promise<string | null> => {
      try {
        if (by === 'id' && hasNameOptions(ref)) {
          const [named] = (await resourceApi.pick(ref, new URLSearchParams({ id: String(value) }))).items;
          return named ? refLabel(field, named, language) : null;
        }
        if (by === 'id') return refLabel(field, await resourceApi.get(ref, value), language);
        const query = new URLSearchParams({ [by]: String(value), pageSize: '1' });
        const [item] = (await resourceApi.list(ref, query)).items;
        return item ? refLabel(field, item, language) : null;
      } catch (error) {
        // No access to the other resource, or it cannot be filtered that way: show the value.
        if (error instanceof ApiError && error.status >= 400 && error.status < 500) return null;
        throw error;
      }
    },
    enabled: ref !== '',
    staleTime: 5 * 60_000,
    retry: false,
  };
}
