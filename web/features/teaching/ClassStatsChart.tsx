import { LineChart, type LineSeriesOption } from 'echarts/charts';
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
import type { LessonStats } from './classApi.ts';
import { classChartSeries } from './classFigures.ts';
import { escapeHtml } from './escapeHtml.ts';

// Only what this chart draws, so the page's chunk carries a fraction of ECharts.
echarts.use([LineChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

type Option = echarts.ComposeOption<
  LineSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption
>;

/**
 * A class's lessons as two lines over the lesson numbers: the attendance rate on the left axis
 * (0–100 %), the average score on the right (0–100). A lesson without attendance taken or without
 * grades leaves a gap in its line rather than a drop to zero.
 */
export function ClassStatsChart({ lessons }: { lessons: LessonStats[] }) {
  const { t } = useTranslation();
  const option = useMemo<Option>(() => {
    // The lesson numbers alone under an axis named 节次: a term's sixty lessons still fit.
    const series = classChartSeries(lessons, String);
    const rateName = t('classPage.attendanceRate');
    const scoreName = t('classPage.averageScore');
    return {
      legend: { top: 0 },
      tooltip: {
        trigger: 'axis',
        formatter: (params) => {
          const rows = Array.isArray(params) ? params : [params];
          const index = rows[0]?.dataIndex ?? 0;
          const lesson = lessons[index];
          const head = lesson
            ? `${t('classPage.day', { day: lesson.dayNum })} · ${lesson.date}${lesson.title ? ` · ${lesson.title}` : ''}`
            : '';
          const lines = rows.map((row) => {
            const value = row.value as number | null | undefined;
            const shown =
              value === null || value === undefined ? '—' : row.seriesIndex === 0 ? `${value}%` : `${value}`;
            return `${row.marker ?? ''}${escapeHtml(row.seriesName ?? '')}: ${shown}`;
          });
          return [escapeHtml(head), ...lines].join('<br/>');
        },
      },
      grid: { top: 48, left: 48, right: 48, bottom: 44 },
      xAxis: {
        type: 'category',
        data: series.categories,
        boundaryGap: false,
        name: t('classPage.axisLessons'),
        nameLocation: 'middle',
        nameGap: 26,
        axisLabel: { interval: 'auto', hideOverlap: true },
      },
      yAxis: [
        {
          type: 'value',
          name: rateName,
          min: 0,
          max: 100,
          interval: 20,
          axisLabel: { formatter: '{value}%' },
        },
        { type: 'value', name: scoreName, min: 0, max: 100, interval: 20, splitLine: { show: false } },
      ],
      series: [
        {
          type: 'line',
          name: rateName,
          data: series.attendance,
          yAxisIndex: 0,
          connectNulls: true,
          symbolSize: 7,
        },
        {
          type: 'line',
          name: scoreName,
          data: series.average,
          yAxisIndex: 1,
          connectNulls: true,
          symbolSize: 7,
        },
      ],
    };
  }, [lessons, t]);

  return (
    <div data-testid="class-stats-chart">
      <ReactEChartsCore echarts={echarts} option={option} notMerge style={{ height: 320 }} />
    </div>
  );
}
