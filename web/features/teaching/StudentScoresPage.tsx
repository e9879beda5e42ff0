import { ArrowLeftOutlined } from '@ant-design/icons';
import {
  Alert,
  Card,
  Empty,
  Flex,
  Select,
  Skeleton,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { hasMenuPath } from '../../app/menu.ts';
import { schoolNow } from '../../app/time.ts';
import { useCurrentUser } from '../../app/useMe.ts';
import { describeError } from '../../components/resource/errors.ts';
import { currentLanguage } from '../../i18n/index.ts';
import ForbiddenPage from '../errors/ForbiddenPage.tsx';
import NotFoundPage from '../errors/NotFoundPage.tsx';
import RecordUnavailablePage from '../errors/RecordUnavailablePage.tsx';
import {
  type ClassName,
  type ScoreChart as ScoreChartData,
  teachingPaths,
  useClassStats,
  useScoreChart,
} from './classApi.ts';
import { formatScore } from './classFigures.ts';
import { lessonColumns } from './lessonColumns.ts';
import { ScoreChart } from './ScoreChart.tsx';
import { lessonAttendance, markKind, studentSummary } from './scoreChartSeries.ts';
import { type StudentLesson, statusColor, useStatusWord } from './studentLessons.ts';

/**
 * One student's scores in one of their classes (`?classId=`, their latest class without it): the
 * grades lesson by lesson as bars, N/A, COPY and FAIL as marks on the axis; under it the attendance
 * of each lesson, then every lesson's line. Another of the student's classes is a pick away.
 */
export default function StudentScoresPage() {
  const { t } = useTranslation();
  const id = Number(useParams().id);
  const valid = Number.isInteger(id) && id > 0;
  const [params, setParams] = useSearchParams();
  const classId = positiveInt(params.get('classId'));
  const chart = useScoreChart(valid ? id : null, classId);
  const me = useCurrentUser();
  // Which lessons anything was marked in, from the class's figures when the caller may read them:
  // an unmarked lesson's 已签到 is only the default.
  const stats = useClassStats(hasMenuPath(me.menus, '/classes') ? (chart.data?.class.id ?? null) : null);
  const lessons = useMemo<StudentLesson[]>(() => {
    const today = schoolNow().format('YYYY-MM-DD');
    const recorded = stats.data
      ? new Set(stats.data.lessons.filter((lesson) => lesson.recorded).map((lesson) => lesson.courseRecordId))
      : null;
    return (chart.data?.points ?? []).map((point) => ({
      ...point,
      status: lessonAttendance(point, today, recorded),
    }));
  }, [chart.data, stats.data]);

  if (!valid) return <NotFoundPage />;
  const failure = chart.error;
  if (failure instanceof ApiError && failure.status === 404) return <RecordUnavailablePage />;
  if (failure instanceof ApiError && failure.status === 403) return <ForbiddenPage />;
  if (failure) return <Alert type="error" showIcon title={describeError(failure, t)} />;
  if (!chart.data) return <Skeleton active paragraph={{ rows: 10 }} />;

  const pick = (next: number) =>
    setParams(
      (current) => {
        const copy = new URLSearchParams(current);
        copy.set('classId', String(next));
        return copy;
      },
      { replace: true },
    );

  return (
    <Flex vertical gap={16} data-testid="student-scores">
      <StudentHeader data={chart.data} onPick={pick} />
      {lessons.length === 0 ? (
        <Card size="small">
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('studentScores.empty')} />
        </Card>
      ) : (
        <>
          <Card
            size="small"
            title={t('studentScores.chart')}
            extra={<Summary lessons={lessons} />}
            data-testid="student-scores-chart"
          >
            <ScoreChart lessons={lessons} />
            <Typography.Text type="secondary">{t('studentScores.marksHint')}</Typography.Text>
          </Card>
          <AttendanceHistory lessons={lessons} />
          <PointsTable lessons={lessons} />
        </>
      )}
    </Flex>
  );
}

/** The way back to the class, the student's name, and the picker of their classes. */
function StudentHeader({ data, onPick }: { data: ScoreChartData; onPick: (classId: number) => void }) {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const language = currentLanguage();
  const nameOf = (cls: ClassName) => (language === 'en' ? cls.nameEn || cls.name : cls.name);
  return (
    <Flex vertical gap={8}>
      {hasMenuPath(me.menus, '/classes') && (
        <Link to={teachingPaths.classPage(data.class.id)} data-testid="student-scores-class">
          <Space size={4}>
            <ArrowLeftOutlined />
            {t('studentScores.backToClass')}
            <span>({nameOf(data.class)})</span>
          </Space>
        </Link>
      )}
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('studentScores.title', { name: data.student.name })}
        </Typography.Title>
        <Space>
          <Typography.Text type="secondary">{t('studentScores.class')}</Typography.Text>
          <Select
            value={data.class.id}
            options={data.classes.map((cls) => ({ value: cls.id, label: nameOf(cls) }))}
            onChange={onPick}
            popupMatchSelectWidth={false}
            style={{ minWidth: 200 }}
            aria-label={t('studentScores.class')}
            data-testid="student-scores-picker"
          />
        </Space>
      </Flex>
    </Flex>
  );
}

function Summary({ lessons }: { lessons: StudentLesson[] }) {
  const { t } = useTranslation();
  const summary = studentSummary(lessons);
  return (
    <Typography.Text type="secondary" data-testid="student-scores-summary">
      {t('studentScores.summary', {
        attended: summary.attended,
        total: summary.total,
        average: formatScore(summary.average, currentLanguage()) ?? t('studentScores.noAverage'),
      })}
    </Typography.Text>
  );
}

/** A tag per lesson in order, coloured by what the student did; its date and title on hover. */
function AttendanceHistory({ lessons }: { lessons: StudentLesson[] }) {
  const { t } = useTranslation();
  const word = useStatusWord();
  return (
    <Card size="small" title={t('studentScores.attendanceHistory')} data-testid="student-attendance">
      <Flex wrap gap={8}>
        {lessons.map((lesson) => (
          <Tooltip
            key={lesson.courseRecordId}
            title={`${lesson.date}${lesson.title ? ` · ${lesson.title}` : ''}`}
          >
            <Tag
              color={statusColor(lesson.status)}
              style={{ marginInlineEnd: 0 }}
              data-testid={`student-attendance-${lesson.courseRecordId}`}
            >
              {t('classPage.day', { day: lesson.dayNum })} · {word(lesson.status)}
            </Tag>
          </Tooltip>
        ))}
      </Flex>
    </Card>
  );
}

const MARK_TAG: Record<string, string> = { na: 'default', copy: 'orange', fail: 'red', other: 'purple' };

function PointsTable({ lessons }: { lessons: StudentLesson[] }) {
  const { t } = useTranslation();
  const word = useStatusWord();
  const columns: TableColumnsType<StudentLesson> = [
    ...lessonColumns<StudentLesson>(t),
    {
      key: 'attendance',
      title: t('studentScores.column.attendance'),
      width: 120,
      render: (_, lesson) => <Tag color={statusColor(lesson.status)}>{word(lesson.status)}</Tag>,
    },
    {
      key: 'score',
      title: t('studentScores.column.score'),
      width: 110,
      render: (_, point) =>
        point.score >= 0 ? (
          <Typography.Text strong>
            {point.label} <Typography.Text type="secondary">({point.score})</Typography.Text>
          </Typography.Text>
        ) : (
          <Tag color={MARK_TAG[markKind(point)]}>{point.label}</Tag>
        ),
    },
  ];
  return (
    <Card size="small" title={t('studentScores.points')} data-testid="student-points">
      <Table<StudentLesson>
        rowKey="courseRecordId"
        size="small"
        columns={columns}
        dataSource={lessons}
        pagination={false}
        tableLayout="fixed"
      />
    </Card>
  );
}

function positiveInt(value: string | null): number | null {
  const number = Number(value);
  return value && Number.isInteger(number) && number > 0 ? number : null;
}
