import { ArrowLeftOutlined, PlusOutlined, WarningOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Flex,
  Row,
  Skeleton,
  Space,
  Statistic,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { ApiError } from '../../api/client.ts';
import type { Item } from '../../api/resource.ts';
import { hasMenuPath } from '../../app/menu.ts';
import { schoolNow } from '../../app/time.ts';
import { useCurrentUser } from '../../app/useMe.ts';
import { describeError } from '../../components/resource/errors.ts';
import { useResourceItem } from '../../components/resource/useResource.ts';
import { currentLanguage } from '../../i18n/index.ts';
import ForbiddenPage from '../errors/ForbiddenPage.tsx';
import NotFoundPage from '../errors/NotFoundPage.tsx';
import RecordUnavailablePage from '../errors/RecordUnavailablePage.tsx';
import { ClassLessons } from './ClassLessons.tsx';
import { ClassStatsChart } from './ClassStatsChart.tsx';
import { ClassStudents } from './ClassStudents.tsx';
import {
  type AbsenceAlert,
  type ClassItem,
  type ClassStats,
  classStatsQuery,
  teachingPaths,
  useClassStats,
} from './classApi.ts';
import { formatRate, formatScore, lessonsHeld, nextDayNum } from './classFigures.ts';
import { LessonFormModal } from './LessonFormModal.tsx';

const CHART_HEIGHT = 320;

/**
 * A class's own page (docs/spec.md §5, issue 22), where a teacher or a tutor runs the term: who
 * teaches and looks after it, its attendance rate and average score, the students absent lesson
 * after lesson, its lessons by number with the way to each one's attendance and score sheets, its
 * students, and both figures drawn lesson by lesson. The class's teachers (and managers) add its
 * lessons here.
 */
export default function ClassPage() {
  const { t } = useTranslation();
  const id = Number(useParams().id);
  const valid = Number.isInteger(id) && id > 0;
  const item = useResourceItem<ClassItem>('classes', valid ? id : null);
  const stats = useClassStats(valid ? id : null);
  const me = useCurrentUser();
  const [creating, setCreating] = useState(false);

  const failure = item.error ?? stats.error;
  if (!valid) return <NotFoundPage />;
  // The server answers "not found" and "not yours" alike: the page says both.
  if (failure instanceof ApiError && failure.status === 404) return <RecordUnavailablePage />;
  if (failure instanceof ApiError && failure.status === 403) return <ForbiddenPage />;
  if (failure) return <Alert type="error" showIcon title={describeError(failure, t)} />;
  if (!item.data || !stats.data) return <ClassSkeleton />;

  const data = stats.data;
  const today = schoolNow().format('YYYY-MM-DD');
  const canCreate = me.permissions.includes('course_record.create');
  const studentsLinked = hasMenuPath(me.menus, '/students');
  const name = currentLanguage() === 'en' ? data.class.nameEn || data.class.name : data.class.name;

  return (
    <Flex vertical gap={16} data-testid="class-page">
      <ClassHeader cls={item.data} name={name} />
      <ClassFigures stats={data} today={today} />
      <AbsenceAlerts
        classId={id}
        alerts={data.alerts ?? []}
        threshold={data.absenceThreshold}
        linked={studentsLinked}
      />
      <Row gutter={[16, 16]} align="stretch">
        <Col xs={24} xl={16}>
          <Card size="small" title={t('classPage.chart')} style={{ height: '100%' }}>
            {data.lessons.length === 0 ? (
              <Empty
                image={Empty.PRESENTED_IMAGE_SIMPLE}
                description={t('classPage.chartEmpty')}
                style={{ height: CHART_HEIGHT - 40, alignContent: 'center' }}
              />
            ) : (
              <ClassStatsChart lessons={data.lessons} />
            )}
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <ClassStudents
            classId={id}
            students={data.students}
            linked={studentsLinked}
            height={CHART_HEIGHT + 58}
          />
        </Col>
      </Row>
      <ClassLessons
        lessons={data.lessons}
        today={today}
        canMark={hasMenuPath(me.menus, '/study-records')}
        extra={
          canCreate && (
            <Button
              type="primary"
              size="small"
              icon={<PlusOutlined />}
              onClick={() => setCreating(true)}
              data-testid="class-new-lesson"
            >
              {t('classPage.newLesson')}
            </Button>
          )
        }
      />
      {creating && <NewLesson classId={id} name={name} stats={data} onClose={() => setCreating(false)} />}
    </Flex>
  );
}

/** The class's name, course and campus, dates, teachers and tutor, and the way back to the list. */
function ClassHeader({ cls, name }: { cls: ClassItem; name: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const fromList = (location.state as { fromList?: boolean } | null)?.fromList === true;
  const nobody = <Typography.Text type="secondary">{t('classPage.nobody')}</Typography.Text>;
  return (
    <Flex vertical gap={8}>
      <Link
        to="/classes"
        onClick={(event) => {
          if (!fromList || event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
          event.preventDefault();
          void navigate(-1);
        }}
        data-testid="class-back"
      >
        <Space size={4}>
          <ArrowLeftOutlined />
          {t('classPage.backToList')}
        </Space>
      </Link>
      <Space align="center" wrap>
        <Typography.Title level={4} style={{ margin: 0 }} data-testid="class-name">
          {name}
        </Typography.Title>
        {cls.course && <Tag color="blue">{cls.course.name}</Tag>}
        {cls.school && <Tag>{cls.school.title}</Tag>}
      </Space>
      <Descriptions
        size="small"
        column={{ xs: 1, md: 3 }}
        items={[
          {
            key: 'dates',
            label: t('classPage.dates'),
            children: `${cls.startDate}${
              cls.graduateDate ? ` · ${t('classPage.graduates', { date: cls.graduateDate })}` : ''
            }`,
          },
          {
            key: 'teachers',
            label: t('classPage.teachers'),
            children: cls.teachers.length
              ? cls.teachers.map((teacher) => teacher.name).join(t('app.listSeparator'))
              : nobody,
          },
          { key: 'tutor', label: t('classPage.tutor'), children: cls.tutor?.name ?? nobody },
        ]}
        data-testid="class-people"
      />
    </Flex>
  );
}

/** The class's four figures: attendance rate, average score, students, lessons held. */
function ClassFigures({ stats, today }: { stats: ClassStats; today: string }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const active = stats.students.filter((student) => student.status === 'active').length;
  const withdrawn = stats.students.length - active;
  const none = t('classPage.noFigure');
  const small = (text: string) => <span style={{ fontSize: 14 }}>{text}</span>;
  const figures = [
    {
      key: 'rate',
      title: <Tooltip title={t('classPage.attendanceRateHint')}>{t('classPage.attendanceRate')}</Tooltip>,
      value: formatRate(stats.attendanceRate, language) ?? none,
    },
    {
      key: 'score',
      title: <Tooltip title={t('classPage.averageScoreHint')}>{t('classPage.averageScore')}</Tooltip>,
      value: formatScore(stats.averageScore, language) ?? none,
    },
    {
      key: 'students',
      title: t('classPage.students'),
      value: active,
      suffix: small(
        withdrawn > 0
          ? `${t('classPage.activeStudents')} · ${t('classPage.withdrawnCount', { n: withdrawn })}`
          : t('classPage.activeStudents'),
      ),
    },
    {
      key: 'held',
      title: t('classPage.lessonsHeld'),
      value: lessonsHeld(stats.lessons, today),
      suffix: small(t('classPage.lessonsTotal', { total: stats.lessons.length })),
    },
  ];
  return (
    <Row gutter={[16, 16]} data-testid="class-figures">
      {figures.map((figure) => (
        <Col key={figure.key} xs={12} lg={6}>
          <Card size="small" style={{ height: '100%' }}>
            <Statistic
              title={figure.title}
              value={figure.value}
              suffix={figure.suffix}
              data-testid={`class-figure-${figure.key}`}
            />
          </Card>
        </Col>
      ))}
    </Row>
  );
}

/** Students absent from the last N recorded lessons in a row: a warning, or nothing at all. */
function AbsenceAlerts({
  classId,
  alerts,
  threshold,
  linked,
}: {
  classId: number;
  alerts: AbsenceAlert[];
  threshold?: number;
  linked: boolean;
}) {
  const { t } = useTranslation();
  if (alerts.length === 0) return null;
  return (
    <Alert
      type="warning"
      showIcon
      icon={<WarningOutlined />}
      title={t('classPage.alerts', { count: alerts.length })}
      description={
        <Flex vertical gap={4}>
          {alerts.map((alert) => (
            <span key={alert.student.id} data-testid={`class-alert-${alert.student.id}`}>
              {linked ? (
                <Link to={teachingPaths.studentScores(alert.student.id, classId)}>{alert.student.name}</Link>
              ) : (
                <Typography.Text strong>{alert.student.name}</Typography.Text>
              )}{' '}
              {t('classPage.alertLine', {
                count: alert.lessons,
                day: t('classPage.day', { day: alert.since.dayNum }),
                date: alert.since.date,
              })}
            </span>
          ))}
          {threshold !== undefined && (
            <Typography.Text type="secondary">
              {t('classPage.alertsRule', { count: threshold })}
            </Typography.Text>
          )}
        </Flex>
      }
      data-testid="class-alerts"
    />
  );
}

/**
 * The new-lesson form, and what it says once saved: how many study records the lesson got, read from
 * the class's figures fetched afresh (the create answer is the lesson alone).
 */
function NewLesson({
  classId,
  name,
  stats,
  onClose,
}: {
  classId: number;
  name: string;
  stats: ClassStats;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  // Saving refreshed every resource query, the figures included: this reads them as they now are
  // (and asks again only if they are somehow older than a few seconds).
  const onCreated = async (lesson: Item) => {
    const fresh = await queryClient.fetchQuery({ ...classStatsQuery(classId), staleTime: 5_000 });
    const created = fresh.lessons.find((entry) => entry.courseRecordId === lesson.id);
    message.success(
      t('classPage.form.created', { day: Number(lesson.dayNum), count: created?.studyRecords ?? 0 }),
    );
  };
  return (
    <LessonFormModal
      classId={classId}
      className={name}
      takenDays={stats.lessons.map((lesson) => lesson.dayNum)}
      defaultDayNum={nextDayNum(stats.lessons)}
      onClose={onClose}
      onCreated={onCreated}
    />
  );
}

function ClassSkeleton() {
  return (
    <Flex vertical gap={16}>
      <Skeleton active title={{ width: 240 }} paragraph={{ rows: 2 }} />
      <Row gutter={[16, 16]}>
        {[1, 2, 3, 4].map((key) => (
          <Col key={key} xs={12} lg={6}>
            <Card size="small">
              <Skeleton active title={false} paragraph={{ rows: 2 }} />
            </Card>
          </Col>
        ))}
      </Row>
      <Card size="small">
        <Skeleton active paragraph={{ rows: 8 }} />
      </Card>
    </Flex>
  );
}
