import { BarChart, type BarSeriesOption, ScatterChart, type ScatterSeriesOption } from 'echarts/charts';
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
import { escapeHtml } from './escapeHtml.ts';
import { type MarkKind, scoreChartSeries } from './scoreChartSeries.ts';
import { type StudentLesson, useStatusWord } from './studentLessons.ts';

// Only what this chart draws, so the page's chunk carries a fraction of ECharts.
echarts.use([BarChart, ScatterChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

type Option = echarts.ComposeOption<
  BarSeriesOption | ScatterSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption
>;

const GRADE_COLOR = '#1677ff';
/** Marks stand apart from the bars: grey for not marked, orange for copied, red for failed. */
const MARK_COLORS: Record<MarkKind, string> = {
  na: '#8c8c8c',
  copy: '#d46b08',
  fail: '#cf1322',
  other: '#722ed1',
};

/**
 * One student's grades in one class, lesson by lesson: a bar 0–100 with its letter on top for each
 * grade; N/A, COPY and FAIL (codes below zero) as labelled diamonds on the axis in their own colours,
 * never as bars below it (scoreChartSeries decides which is which).
 */
export function ScoreChart({ lessons }: { lessons: StudentLesson[] }) {
  const { t } = useTranslation();
  const word = useStatusWord();
  const option = useMemo<Option>(() => {
    const series = scoreChartSeries(lessons, (day) => t('classPage.dayShort', { day }));
    const gradeName = t('studentScores.grade');
    const markName = t('studentScores.mark');
    const many = series.categories.length > 22;
    return {
      legend: { top: 0, data: [{ name: gradeName }, { name: markName, icon: 'diamond' }] },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        formatter: (params) => {
          const index = (Array.isArray(params) ? params[0] : params)?.dataIndex ?? 0;
          const point = lessons[index];
          if (!point) return '';
          const attendance = word(point.status);
          const day = t('classPage.day', { day: point.dayNum });
          const head = `${day} · ${point.date}${point.title ? ` · ${point.title}` : ''}`;
          const score = point.score >= 0 ? `${point.label} (${point.score})` : point.label;
          return [
            escapeHtml(head),
            `${point.score >= 0 ? gradeName : markName}: ${escapeHtml(score)}`,
            `${t('studentScores.column.attendance')}: ${escapeHtml(attendance)}`,
          ].join('<br/>');
        },
      },
      grid: { top: 48, left: 40, right: 16, bottom: many ? 56 : 32 },
      xAxis: {
        type: 'category',
        data: series.categories,
        axisTick: { alignWithLabel: true },
        axisLabel: { interval: many ? 'auto' : 0, rotate: many ? 30 : 0, hideOverlap: true },
      },
      yAxis: { type: 'value', min: 0, max: 100, interval: 20 },
      series: [
        {
          type: 'bar',
          name: gradeName,
          data: series.grades,
          barMaxWidth: 36,
          itemStyle: { color: GRADE_COLOR },
          label: {
            show: true,
            position: 'top',
            formatter: ({ dataIndex }) => series.labels[dataIndex] ?? '',
            fontWeight: 'bold',
          },
        },
        {
          type: 'scatter',
          name: markName,
          symbol: 'diamond',
          symbolSize: 14,
          itemStyle: { color: MARK_COLORS.na },
          // [lesson, 0]: on the axis, whatever the code's value.
          data: series.marks.flatMap((mark, index) => {
            const kind = series.kinds[index];
            if (mark === null || kind === undefined || kind === 'grade') return [];
            const color = MARK_COLORS[kind];
            return [
              {
                value: [index, mark],
                itemStyle: { color },
                label: {
                  show: true,
                  position: 'top' as const,
                  distance: 6,
                  formatter: series.labels[index] ?? '',
                  color,
                  fontWeight: 'bold' as const,
                },
              },
            ];
          }),
          z: 3,
        },
      ],
    };
  }, [lessons, t, word]);

  return (
    <div data-testid="score-chart">
      <ReactEChartsCore echarts={echarts} option={option} notMerge style={{ height: 320 }} />
    </div>
  );
}
