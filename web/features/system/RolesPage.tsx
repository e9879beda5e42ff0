import { SafetyOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ResourceList } from '../../components/resource/ResourceList.tsx';
import { RowPageLink } from '../../components/resource/RowPageLink.tsx';

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
        <RowPageLink
          to={`/system/roles/${role.id}`}
          icon={<SafetyOutlined />}
          label={t('system.permissions')}
          testId={`role-permissions-${role.code}`}
        />
      )}
    />
  );
}
