import { theme } from 'antd';
import type { CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../../i18n/index.ts';
import { formatAmount, type PerformanceRow } from '../reports/api.ts';

const counts = ['received', 'grabbed', 'followedUp', 'enrolled'] as const;

/**
 * This month's performance per consultant, compact, in the report's order (amount first). A plain
 * table drawn in antd's look rather than antd's Table: it needs no sorting or paging, and the
 * Table (with the Select its pagination pulls in) would put the home page's first load over its
 * budget (docs/benchmarks.md, "The first load and the test suite").
 */
export default function TeamTable({ rows }: { rows: PerformanceRow[] }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const language = currentLanguage();
  const cell: CSSProperties = {
    padding: `${token.paddingXS}px ${token.paddingXS}px`,
    borderBottom: `1px solid ${token.colorBorderSecondary}`,
    fontSize: token.fontSize,
    whiteSpace: 'nowrap',
  };
  const head: CSSProperties = {
    ...cell,
    background: token.colorFillAlter,
    color: token.colorTextHeading,
    fontWeight: token.fontWeightStrong,
  };
  const number: CSSProperties = { textAlign: 'right', fontVariantNumeric: 'tabular-nums' };
  return (
    <div data-testid="dashboard-team" style={{ overflowX: 'auto' }}>
      <table style={{ width: '100%', borderCollapse: 'collapse' }}>
        <thead>
          <tr>
            <th style={{ ...head, textAlign: 'left' }}>{t('reports.consultant')}</th>
            {counts.map((key) => (
              <th key={key} style={{ ...head, ...number }}>
                {t(`reports.${key}`)}
              </th>
            ))}
            <th style={{ ...head, ...number }}>{t('reports.amount')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.consultant.id} className="ant-table-row">
              <td style={cell}>{row.consultant.name}</td>
              {counts.map((key) => (
                <td key={key} style={{ ...cell, ...number }}>
                  {row[key]}
                </td>
              ))}
              <td style={{ ...cell, ...number }}>{formatAmount(row.amount, language)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
