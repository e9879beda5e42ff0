import { CheckSquareOutlined, FormOutlined } from '@ant-design/icons';
import { Card, Space, Table, type TableColumnsType, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { currentLanguage } from '../../i18n/index.ts';
import { type LessonStats, teachingPaths } from './classApi.ts';
import { attendanceText, formatRate, formatScore } from './classFigures.ts';
import { lessonColumns } from './lessonColumns.ts';

/**
 * A class's lessons in order: each one's attendance ("18/20") and rate, its average grade, and the
 * way to its attendance and score sheets (for whoever may open them). A lesson not yet held, or held
 * with nothing recorded, says so instead of showing zeros.
 */
export function ClassLessons({
  lessons,
  today,
  canMark,
  extra,
}: {
  lessons: LessonStats[];
  /** `YYYY-MM-DD`, the school's day. */
  today: string;
  /** Whether the caller may open the attendance and score sheets. */
  canMark: boolean;
  /** The card's button (新建上课记录). */
  extra?: ReactNode;
}) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const none = (text: string) => <Typography.Text type="secondary">{text}</Typography.Text>;

  const unrecorded = (lesson: LessonStats) => {
    if (lesson.studyRecords === 0) return <Tag>{t('classPage.noStudyRecords')}</Tag>;
    return none(lesson.date > today ? t('classPage.notHeld') : t('classPage.notRecorded'));
  };

  const columns: TableColumnsType<LessonStats> = [
    ...lessonColumns<LessonStats>(t),
    {
      key: 'teacher',
      title: t('classPage.column.teacher'),
      width: 110,
      ellipsis: true,
      render: (_, lesson) => lesson.teacher?.name ?? none('—'),
    },
    {
      key: 'attendance',
      title: t('classPage.column.attendance'),
      width: 104,
      align: 'right',
      render: (_, lesson) => attendanceText(lesson) ?? unrecorded(lesson),
    },
    {
      key: 'rate',
      title: t('classPage.column.rate'),
      width: 96,
      align: 'right',
      render: (_, lesson) => formatRate(lesson.attendanceRate, language) ?? none('—'),
    },
    {
      key: 'average',
      title: t('classPage.column.average'),
      width: 110,
      align: 'right',
      render: (_, lesson) => formatScore(lesson.averageScore, language) ?? none('—'),
    },
    ...(canMark
      ? [
          {
            key: 'actions',
            title: t('classPage.column.actions'),
            width: language === 'en' ? 200 : 140,
            render: (_: unknown, lesson: LessonStats) => (
              <Space size={12} wrap={false}>
                <Link
                  to={teachingPaths.attendance(lesson.courseRecordId)}
                  data-testid={`lesson-attendance-${lesson.courseRecordId}`}
                >
                  <Space size={4}>
                    <CheckSquareOutlined />
                    {t('classPage.attendanceLink')}
                  </Space>
                </Link>
                <Link
                  to={teachingPaths.scores(lesson.courseRecordId)}
                  data-testid={`lesson-scores-${lesson.courseRecordId}`}
                >
                  <Space size={4}>
                    <FormOutlined />
                    {t('classPage.scoresLink')}
                  </Space>
                </Link>
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <Card size="small" title={t('classPage.lessons')} extra={extra} data-testid="class-lessons">
      <Table<LessonStats>
        rowKey="courseRecordId"
        size="small"
        columns={columns}
        dataSource={lessons}
        pagination={false}
        tableLayout="fixed"
        scroll={{ x: 860 }}
        locale={{ emptyText: t('classPage.lessonsEmpty') }}
      />
    </Card>
  );
}
