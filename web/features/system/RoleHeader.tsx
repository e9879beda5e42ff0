import { ArrowLeftOutlined, SaveOutlined } from '@ant-design/icons';
import { Button, Flex, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import { CodeTip } from '../../components/resource/CodeTip.tsx';
import type { Role } from './roleDraft.ts';

type RoleHeaderProps = {
  role: Role;
  dirty: boolean;
  /** The save button, or null when the caller may not change the role. */
  save: { onSave: () => void; saving: boolean; disabled: boolean } | null;
};

/** The role's heading, the way back to the roles, and the save button with its "unsaved" note. */
export function RoleHeader({ role, dirty, save }: RoleHeaderProps) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();

  const back = () => {
    // Came from the list: go back to it as it was (its page and filters are in that URL).
    if ((location.state as { fromList?: boolean } | null)?.fromList) void navigate(-1);
    else void navigate('/system/roles');
  };

  return (
    <Flex justify="space-between" align="center" wrap gap={8}>
      <Space align="center">
        <Button icon={<ArrowLeftOutlined />} onClick={back} aria-label={t('resource.back')} />
        <CodeTip code={role.code}>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('system.roleMatrix', { title: role.title })}
          </Typography.Title>
        </CodeTip>
      </Space>
      <Space>
        {dirty && <Typography.Text type="warning">{t('system.unsaved')}</Typography.Text>}
        {save && (
          <Button
            type="primary"
            icon={<SaveOutlined />}
            loading={save.saving}
            disabled={save.disabled}
            onClick={save.onSave}
            data-testid="role-save"
          >
            {t('resource.save')}
          </Button>
        )}
      </Space>
    </Flex>
  );
}
