import { ReadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ResourceList } from '../../components/resource/ResourceList.tsx';
import { RowPageLink } from '../../components/resource/RowPageLink.tsx';
import { teachingPaths } from './classApi.ts';

/**
 * The classes list (the generic one, from the server's metadata); a class's name, and 班级主页 in its
 * row, open its class page, where its lessons, students and figures are.
 */
export default function ClassesPage() {
  const { t } = useTranslation();
  return (
    <ResourceList
      resource="classes"
      cells={{
        label: (cls) => (
          <Link to={teachingPaths.classPage(cls.id)} state={{ fromList: true }}>
            {String(cls.label)}
          </Link>
        ),
      }}
      rowActions={(cls) => (
        <RowPageLink
          to={teachingPaths.classPage(cls.id)}
          icon={<ReadOutlined />}
          label={t('classPage.open')}
          testId={`class-page-${cls.id}`}
        />
      )}
    />
  );
}
