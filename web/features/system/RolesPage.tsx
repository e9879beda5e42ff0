import { SafetyOutlined } from '@ant-design/icons';
import { Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ResourceList } from '../../components/resource/ResourceList.tsx';

/** Roles, each with a link to its permission matrix. */
export default function RolesPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <ResourceList
      resource="roles"
      refreshesMe
      // Permissions are granted in the matrix, which a new role opens straight into.
      omitFormFields={['permissionCodes']}
      onCreated={(role) => void navigate(`/system/roles/${role.id}`, { state: { fromList: true } })}
      rowActions={(role) => (
        // `fromList` lets the matrix's Back return to this very list (same page, same filters).
        <Link
          to={`/system/roles/${role.id}`}
          state={{ fromList: true }}
          style={{ padding: '0 7px', whiteSpace: 'nowrap' }}
          data-testid={`role-permissions-${role.code}`}
        >
          <Space size={4}>
            <SafetyOutlined />
            {t('system.permissions')}
          </Space>
        </Link>
      )}
    />
  );
}
