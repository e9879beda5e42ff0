import {
  CheckCircleOutlined,
  EditOutlined,
  ReadOutlined,
  TeamOutlined,
  WarningOutlined,
} from '@ant-design/icons';
import { Card, Col, Empty, Flex, Row, Tag, Typography, theme } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { PermissionCode } from '../../../server/auth/catalogue.ts';
import { hasMenuPath } from '../../app/menu.ts';
import { useCurrentUser } from '../../app/useMe.ts';
import type { LessonRef, MyClass } from '../reports/api.ts';
import { teachingLinks } from './teachingLinks.ts';

/**
 * A teacher's or a tutor's classes on the home page, in place of sales figures: per class its
 * students, the caller's part in it, the lessons held whose attendance and scores are still to mark
 * (the most recent one a click away) and the next lesson.
 */
export function ClassCards({ classes }: { classes: MyClass[] }) {
  const { t } = useTranslation();
  return (
    <Card size="small" title={t('dashboard.classes.title')} data-testid="dashboard-classes">
      {classes.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('dashboard.classes.none')} />
      ) : (
        <Row gutter={[16, 16]}>
          {classes.map((cls) => (
            <Col key={cls.id} xs={24} md={12} xl={8}>
              <ClassCard cls={cls} />
            </Col>
          ))}
        </Row>
      )}
    </Card>
  );
}

function ClassCard({ cls }: { cls: MyClass }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const me = useCurrentUser();
  const may = (code: PermissionCode) => me.permissions.includes(code);
  const students = t('dashboard.classes.students', { count: cls.students });
  const classPath = hasMenuPath(me.menus, '/classes') ? teachingLinks.classPage(cls) : null;
  const alerts = cls.alerts ?? [];
  const lesson = cls.lessonToMark;
  // A lesson without study records is initialised from the lessons list before it can be marked.
  const markPath = lesson
    ? lesson.studyRecords > 0
      ? may('study_record.list') && teachingLinks.markLesson(lesson)
      : may('course_record.list') && teachingLinks.classLessons(cls)
    : false;

  return (
    <Card
      size="small"
      type="inner"
      style={{ height: '100%' }}
      title={
        classPath ? (
          <Link to={classPath} data-testid="class-card-title">
            {cls.label}
          </Link>
        ) : (
          cls.label
        )
      }
      extra={
        <Flex gap={4}>
          {cls.roles.map((role) => (
            <Tag key={role} color={role === 'teacher' ? 'blue' : 'purple'} style={{ marginInlineEnd: 0 }}>
              {t(`dashboard.classes.role.${role}`)}
            </Tag>
          ))}
        </Flex>
      }
      data-testid={`class-card-${cls.id}`}
    >
      <Flex vertical gap={10}>
        <Flex gap={8} align="center">
          <TeamOutlined style={{ color: token.colorTextSecondary }} />
          {may('student.list') ? (
            <Link to={teachingLinks.classStudents(cls)}>{students}</Link>
          ) : (
            <Typography.Text>{students}</Typography.Text>
          )}
        </Flex>

        {alerts.length > 0 && (
          <Flex gap={8} align="center" data-testid="class-alerts">
            <WarningOutlined style={{ color: token.colorError }} />
            {classPath ? (
              <Link to={classPath} style={{ color: token.colorErrorText }}>
                {t('dashboard.classes.alerts', { count: alerts.length })}
              </Link>
            ) : (
              <Typography.Text type="danger">
                {t('dashboard.classes.alerts', { count: alerts.length })}
              </Typography.Text>
            )}
          </Flex>
        )}

        {lesson ? (
          <Flex vertical gap={2} data-testid="class-to-mark">
            <Typography.Text strong style={{ color: token.colorWarningText }}>
              {t('dashboard.classes.toMark', { count: cls.toMark })}
            </Typography.Text>
            <Typography.Text type="secondary" ellipsis={{ tooltip: lessonName(lesson, t) }}>
              {t('dashboard.classes.latest', { date: lesson.date, lesson: lessonName(lesson, t) })}
            </Typography.Text>
            {markPath && (
              <Link to={markPath} data-testid="class-mark-link">
                <EditOutlined />{' '}
                {lesson.studyRecords > 0 ? t('dashboard.classes.mark') : t('dashboard.classes.initialise')}
              </Link>
            )}
          </Flex>
        ) : (
          <Typography.Text type="secondary" data-testid="class-to-mark">
            <CheckCircleOutlined style={{ color: token.colorSuccess }} /> {t('dashboard.classes.allMarked')}
          </Typography.Text>
        )}

        <Typography.Text type="secondary" ellipsis data-testid="class-next">
          {cls.nextLesson
            ? t('dashboard.classes.next', {
                date: cls.nextLesson.date,
                lesson: lessonName(cls.nextLesson, t),
              })
            : t('dashboard.classes.noNext')}
        </Typography.Text>

        {(classPath || may('course_record.list')) && (
          <Flex gap={16} wrap>
            {classPath && (
              <Link to={classPath} data-testid="class-page-link">
                <ReadOutlined /> {t('dashboard.classes.classPage')}
              </Link>
            )}
            {may('course_record.list') && (
              <Link to={teachingLinks.classLessons(cls)}>{t('dashboard.classes.lessons')}</Link>
            )}
          </Flex>
        )}
      </Flex>
    </Card>
  );
}

/** The lesson's title, or its day when it has none. */
function lessonName(lesson: LessonRef, t: TFunction): string {
  return lesson.title || t('dashboard.classes.day', { day: lesson.dayNum });
}
