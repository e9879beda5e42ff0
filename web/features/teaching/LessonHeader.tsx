import {
  ArrowLeftOutlined,
  BookOutlined,
  CalendarOutlined,
  CheckSquareOutlined,
  TeamOutlined,
  TrophyOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { Alert, Button, Flex, Segmented, Space, Typography, theme } from 'antd';
import dayjs from 'dayjs';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { hasMenuPath } from '../../app/menu.ts';
import { useCurrentUser } from '../../app/useMe.ts';
import { describeError } from '../../components/resource/errors.ts';
import { currentLanguage } from '../../i18n/index.ts';
import ForbiddenPage from '../errors/ForbiddenPage.tsx';
import NotFoundPage from '../errors/NotFoundPage.tsx';
import RecordUnavailablePage from '../errors/RecordUnavailablePage.tsx';
import type { Lesson, NamedRef } from './lessonApi.ts';
import { classPagePath, type LessonSheet, lessonSheetPath } from './lessonPaths.ts';

/** A name in the screen's language: a class is "Python全栈 (9期)" / "Python全栈 (term 9)". */
export const localName = (ref: NamedRef, language: string): string =>
  language === 'en' ? (ref.nameEn ?? ref.name) : ref.name;

/**
 * The lesson both sheets are about: its day and title, its class (a link to the class's page), date,
 * teacher and homework, and the switch between the attendance sheet and the score sheet.
 */
export function LessonHeader({ lesson, sheet }: { lesson: Lesson; sheet: LessonSheet }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const navigate = useNavigate();
  const location = useLocation();
  const me = useCurrentUser();
  const language = currentLanguage();
  const className = lesson.class ? localName(lesson.class, language) : null;

  // Back where the teacher came from (the class page, the lessons list, home); opened on its own,
  // to the class's lessons. The switch between sheets replaces the entry, so Back skips it.
  const back = () => {
    if (location.key !== 'default') void navigate(-1);
    else void navigate(`/course-records?classId=${lesson.classId}`);
  };

  const fact = (icon: ReactNode, content: ReactNode, testId: string) => (
    <Space size={6} data-testid={testId} style={{ color: token.colorTextSecondary }}>
      {icon}
      {content}
    </Space>
  );

  return (
    <Flex vertical gap={8} data-testid="lesson-header">
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Space align="center" style={{ minWidth: 0 }}>
          <Button icon={<ArrowLeftOutlined />} onClick={back} aria-label={t('resource.back')} />
          <Typography.Title level={4} style={{ margin: 0 }} data-testid="lesson-title">
            {language === 'en' ? lesson.labelEn : lesson.label}
          </Typography.Title>
        </Space>
        <Segmented<LessonSheet>
          value={sheet}
          onChange={(next) => void navigate(lessonSheetPath(lesson.id, next), { replace: true })}
          options={[
            { value: 'attendance', label: t('lessonSheets.attendanceTab'), icon: <CheckSquareOutlined /> },
            { value: 'scores', label: t('lessonSheets.scoresTab'), icon: <TrophyOutlined /> },
          ]}
          data-testid="lesson-sheet-switch"
        />
      </Flex>
      <Flex wrap gap="4px 24px" style={{ paddingInlineStart: 40 }}>
        {className &&
          fact(
            <TeamOutlined />,
            hasMenuPath(me.menus, '/classes') ? (
              <Link to={classPagePath(lesson.classId)} data-testid="lesson-class">
                {className}
              </Link>
            ) : (
              <Typography.Text data-testid="lesson-class">{className}</Typography.Text>
            ),
            'lesson-class-fact',
          )}
        {fact(
          <CalendarOutlined />,
          <Typography.Text>
            {lesson.date} {dayjs(lesson.date).format('ddd')}
          </Typography.Text>,
          'lesson-date',
        )}
        {fact(
          <UserOutlined />,
          <Typography.Text>
            {lesson.teacher
              ? t('lessonSheets.teacher', { name: lesson.teacher.name })
              : t('lessonSheets.noTeacher')}
          </Typography.Text>,
          'lesson-teacher',
        )}
        {lesson.hasHomework &&
          fact(
            <BookOutlined />,
            <Typography.Text>
              {lesson.homeworkTitle
                ? t('lessonSheets.homework', { title: lesson.homeworkTitle })
                : t('lessonSheets.hasHomework')}
            </Typography.Text>,
            'lesson-homework',
          )}
      </Flex>
    </Flex>
  );
}

/**
 * What a sheet shows instead of itself: an address that names no lesson, a lesson the server will
 * not show (gone, or of a class one does not teach: 404 alike), a refusal, another failure.
 */
export function sheetFailure(valid: boolean, error: unknown, t: TFunction): ReactNode {
  if (!valid) return <NotFoundPage />;
  if (!error) return null;
  if (error instanceof ApiError && error.status === 404) return <RecordUnavailablePage />;
  if (error instanceof ApiError && error.status === 403) return <ForbiddenPage />;
  return <Alert type="error" showIcon title={describeError(error, t)} />;
}
