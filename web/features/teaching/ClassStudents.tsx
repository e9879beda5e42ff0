import { UserOutlined } from '@ant-design/icons';
import { Card, Empty, Flex, Tag, Typography, theme } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { type ClassStats, teachingPaths } from './classApi.ts';

/**
 * The class's students, active ones first and the withdrawn after them marked as such (the server
 * sends them in that order), each a link to their scores in this class for whoever may open students.
 */
export function ClassStudents({
  classId,
  students,
  linked,
  height,
}: {
  classId: number;
  students: ClassStats['students'];
  /** Whether the caller may open a student's score page. */
  linked: boolean;
  /** The card's height, to stand level with the chart beside it; the list scrolls inside. */
  height?: number;
}) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const active = students.filter((student) => student.status === 'active').length;
  return (
    <Card
      size="small"
      title={t('classPage.studentList')}
      extra={
        <Typography.Text type="secondary">
          {active}
          {active < students.length && ` + ${t('classPage.withdrawnCount', { n: students.length - active })}`}
        </Typography.Text>
      }
      style={{ height }}
      styles={{ body: { overflowY: 'auto', maxHeight: height ? height - 40 : undefined } }}
      data-testid="class-students"
    >
      {students.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('classPage.noStudents')} />
      ) : (
        <Flex vertical>
          {students.map((student) => {
            const withdrawn = student.status === 'withdrawn';
            const name = linked ? (
              <Link to={teachingPaths.studentScores(student.id, classId)}>{student.name}</Link>
            ) : (
              <Typography.Text>{student.name}</Typography.Text>
            );
            return (
              <Flex
                key={student.id}
                align="center"
                gap={8}
                style={{
                  padding: '5px 0',
                  borderBottom: `1px solid ${token.colorBorderSecondary}`,
                  opacity: withdrawn ? 0.65 : 1,
                }}
                data-testid={`class-student-${student.id}`}
              >
                <UserOutlined style={{ color: token.colorTextTertiary }} />
                {name}
                {withdrawn && (
                  <Tag style={{ marginInlineStart: 'auto', marginInlineEnd: 0 }}>
                    {t('classPage.withdrawn')}
                  </Tag>
                )}
              </Flex>
            );
          })}
        </Flex>
      )}
    </Card>
  );
}
