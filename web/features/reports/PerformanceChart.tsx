import { BarChart, type BarSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  type GridComponentOption,
  LegendComponent,
  type LegendComponentOption,
  TooltipComponent,
  type TooltipComponentOption,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
// The ESM build: echarts-for-react's `lib/core` bundles but fails in the browser (docs STACK.md).
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../../i18n/index.ts';
import { formatAmount, type PerformanceRow } from './api.ts';

// Only what this chart draws, so the page's chunk carries a fraction of ECharts.
echarts.use([BarChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

type Option = echarts.ComposeOption<
  BarSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption
>;

const COUNTS = ['received', 'grabbed', 'followedUp', 'enrolled'] as const;

/**
 * The month per consultant as two bar charts on one canvas sharing the consultants' axis: the four
 * counts side by side above, the money below (its scale is thousands of times theirs).
 */
export function PerformanceChart({ rows }: { rows: PerformanceRow[] }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const option = useMemo<Option>(() => {
    const names = rows.map((row) => row.consultant.name);
    const axis = (gridIndex: number) => ({
      type: 'category' as const,
      gridIndex,
      data: names,
      axisTick: { alignWithLabel: true },
      axisLabel: { interval: 0, rotate: names.length > 8 ? 30 : 0, show: gridIndex === 1 },
    });
    return {
      legend: { top: 0 },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        valueFormatter: (value) => String(value ?? ''),
      },
      grid: [
        { top: 40, left: 56, right: 24, height: '40%' },
        { bottom: names.length > 8 ? 64 : 32, left: 56, right: 24, height: '28%' },
      ],
      xAxis: [axis(0), axis(1)],
      yAxis: [
        { type: 'value', gridIndex: 0, minInterval: 1, name: t('reports.counts') },
        {
          type: 'value',
          gridIndex: 1,
          name: t('reports.amount'),
          axisLabel: { formatter: (value: number) => compactMoney(value, language) },
        },
      ],
      series: [
        ...COUNTS.map(
          (key): BarSeriesOption => ({
            type: 'bar',
            name: t(`reports.${key}`),
            data: rows.map((row) => row[key]),
            xAxisIndex: 0,
            yAxisIndex: 0,
            barMaxWidth: 24,
          }),
        ),
        {
          type: 'bar',
          name: t('reports.amount'),
          data: rows.map((row) => Number(row.amount)),
          xAxisIndex: 1,
          yAxisIndex: 1,
          barMaxWidth: 32,
          tooltip: { valueFormatter: (value) => formatAmount(Number(value ?? 0), language) },
        },
      ],
    };
  }, [rows, t, language]);

  return (
    <div data-testid="performance-chart">
      <ReactEChartsCore echarts={echarts} option={option} notMerge style={{ height: 420 }} />
    </div>
  );
}

function compactMoney(value: number, language: string): string {
  return new Intl.NumberFormat(language, { notation: 'compact', maximumFractionDigits: 1 }).format(value);
}
