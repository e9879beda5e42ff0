import { CheckSquareOutlined, TrophyOutlined } from '@ant-design/icons';
import { Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { hasMenuPath } from '../../app/menu.ts';
import { useCurrentUser } from '../../app/useMe.ts';
import { ResourceList } from '../../components/resource/ResourceList.tsx';
import { RowPageLink } from '../../components/resource/RowPageLink.tsx';
import { lessonSheetPath } from './lessonPaths.ts';

/**
 * The lessons (上课记录), as the generic list draws them, each with its two sheets a click away:
 * 考勤 and 成绩 — for whoever may open study records, the sheets' menu page. Short words: the
 * pinned operations column must leave the list room at 1366 px.
 */
export default function LessonsPage() {
  const { t } = useTranslation();
  const sheets = hasMenuPath(useCurrentUser().menus, '/study-records');
  return (
    <ResourceList
      resource="course-records"
      rowActions={
        sheets
          ? (lesson) => (
              <>
                <Tooltip title={t('lessonSheets.attendanceSheet')}>
                  <span>
                    <RowPageLink
                      to={lessonSheetPath(lesson.id, 'attendance')}
                      icon={<CheckSquareOutlined />}
                      label={t('lessonSheets.attendanceShort')}
                      testId={`lesson-attendance-${lesson.id}`}
                    />
                  </span>
                </Tooltip>
                <Tooltip title={t('lessonSheets.scoreSheet')}>
                  <span>
                    <RowPageLink
                      to={lessonSheetPath(lesson.id, 'scores')}
                      icon={<TrophyOutlined />}
                      label={t('lessonSheets.scoresShort')}
                      testId={`lesson-scores-${lesson.id}`}
                    />
                  </span>
                </Tooltip>
              </>
            )
          : undefined
      }
    />
  );
}
