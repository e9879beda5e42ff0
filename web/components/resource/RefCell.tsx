import { useQuery } from '@tanstack/react-query';
import type { Field } from '../../api/resource.ts';
import { currentLanguage } from '../../i18n/index.ts';
import { refLabelQuery } from './refLookup.ts';

/**
 * A referenced item's name for a cell whose item carries only the stored value: looked up once per
 * value (React Query shares the answer between rows), the value itself until then.
 */
export function RefCell({ field, value }: { field: Field; value: string | number }) {
  const label = useQuery(refLabelQuery(field, value, currentLanguage()));
  return <>{label.data ?? String(value)}</>;
}
