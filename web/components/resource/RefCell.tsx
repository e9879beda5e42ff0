import { useQuery } from '@tanstack/react-query';
import { Typography } from 'antd';
import type { Field } from '../../api/resource.ts';
import { currentLanguage } from '../../i18n/index.ts';
import { refLabelQuery } from './refLookup.ts';

/**
 * A referenced item's name for a cell whose item carries only the stored value: looked up once per
 * value (React Query shares the answer between rows). Until it comes, an ellipsis: the stored value
 * is an id or a code, which nobody should read.
 */
export function RefCell({ field, value }: { field: Field; value: string | number }) {
  const label = useQuery(refLabelQuery(field, value, currentLanguage()));
  if (label.isLoading) return <Typography.Text type="secondary">…</Typography.Text>;
  return <>{label.data ?? String(value)}</>;
}
