import type { TableColumnType } from 'antd';
import type { TFunction } from 'i18next';

/** The columns every table of lessons opens with: 第N节, the date and the title. */
export function lessonColumns<T extends { dayNum: number; date: string; title: string }>(
  t: TFunction,
): TableColumnType<T>[] {
  return [
    {
      key: 'dayNum',
      title: t('classPage.column.dayNum'),
      width: 96,
      render: (_: unknown, lesson: T) => t('classPage.day', { day: lesson.dayNum }),
    },
    { key: 'date', title: t('classPage.column.date'), dataIndex: 'date', width: 116 },
    { key: 'title', title: t('classPage.column.title'), dataIndex: 'title', ellipsis: { showTitle: true } },
  ];
}
