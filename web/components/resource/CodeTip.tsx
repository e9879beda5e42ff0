import { Tooltip, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useMe } from '../../app/useMe.ts';

/**
 * Codes are for administrators: whoever may read the permission catalogue (where codes are the
 * point) finds the code behind a label in its tooltip; nobody reads a code on screen.
 */
export function useShowsCodes(): boolean {
  const { data } = useMe();
  return data?.permissions.includes('permission.list') ?? false;
}

/** `children` (a label), with the code behind it in a tooltip for administrators. */
export function CodeTip({ code, children }: { code: unknown; children: ReactNode }) {
  const shows = useShowsCodes();
  if (!shows || code === null || code === undefined || code === '') return <>{children}</>;
  return (
    <Tooltip
      title={
        <Typography.Text code style={{ color: 'inherit' }}>
          {String(code)}
        </Typography.Text>
      }
    >
      <span data-code={String(code)}>{children}</span>
    </Tooltip>
  );
}
