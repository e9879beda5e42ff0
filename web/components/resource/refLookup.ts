import { ApiError } from '../../api/client.ts';
import { type Field, resourceApi, resourceKeys } from '../../api/resource.ts';
import { refLabel, refValueKey } from './fields.ts';

/**
 * Query options that find the name of one referenced item, for items that carry only the stored
 * value of a ref: by id (`GET /api/<ref>/<id>`) or, for refs by another field such as `code`, by
 * filtering on it (`GET /api/<ref>?code=…`). Null when the item cannot be found or seen.
 */
export function refLabelQuery(field: Field, value: string | number) {
  const ref = field.ref ?? '';
  const by = refValueKey(field);
  return {
    queryKey: resourceKeys.label(ref, by, value),
    queryFn: async (): Promise<string | null> => {
      try {
        if (by === 'id' && ref === 'users') {
          const [person] = (await resourceApi.pick(ref, new URLSearchParams({ id: String(value) }))).items;
          return person ? refLabel(field, person) : null;
        }
        if (by === 'id') return refLabel(field, await resourceApi.get(ref, value));
        const query = new URLSearchParams({ [by]: String(value), pageSize: '1' });
        const [item] = (await resourceApi.list(ref, query)).items;
        return item ? refLabel(field, item) : null;
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
