import { IdcardOutlined } from '@ant-design/icons';
import { Card, Flex, Tag, Typography } from 'antd';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { useCurrentUser } from '../../app/useMe.ts';
import { currentLanguage } from '../../i18n/index.ts';
import { className, useCustomerStudent } from '../payments/api.ts';

/**
 * The student the customer became on its first payment, with the classes they are in or left: the
 * end of the sale, on the customer's own page (whoever may read the customer sees it; the student
 * list stays with those who hold it). Nothing before the first payment. `#student` scrolls to it.
 */
export function StudentCard({ customerId }: { customerId: number }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const student = useCustomerStudent(customerId).data;
  const canListStudents = useCurrentUser().permissions.includes('student.list');
  const { hash } = useLocation();
  const card = useRef<HTMLDivElement>(null);
  const shown = Boolean(student);
  useEffect(() => {
    if (shown && hash === '#student') card.current?.scrollIntoView({ block: 'nearest' });
  }, [shown, hash]);

  if (!student) return null;
  const status: Record<string, string> = t('student.status', { returnObjects: true });
  return (
    <div ref={card} id="student" data-testid="customer-student">
      <Card
        size="small"
        title={
          <Flex gap={8} align="center">
            <IdcardOutlined />
            {t('student.title')}
          </Flex>
        }
        extra={
          canListStudents && (
            <Link to={`/students?customerId=${customerId}`}>{t('student.openInStudents')}</Link>
          )
        }
      >
        <Flex vertical gap={8}>
          <Typography.Text type="secondary">{t('student.classes')}</Typography.Text>
          {student.classes.length === 0 ? (
            <Typography.Text type="secondary">{t('student.none')}</Typography.Text>
          ) : (
            <Flex wrap gap={8}>
              {student.classes.map((klass) => (
                <Tag
                  key={klass.id}
                  color={klass.status === 'active' ? 'green' : 'default'}
                  data-testid={`student-class-${klass.id}`}
                >
                  {className(klass, language)} · {status[klass.status] ?? klass.status}
                </Tag>
              ))}
            </Flex>
          )}
        </Flex>
      </Card>
    </div>
  );
}
