import { Card, Flex, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import type { RoleDraft } from './roleDraft.ts';

type RoleDetailsCardProps = {
  title: string;
  description: string;
  maxLength: (key: 'title' | 'description') => number | undefined;
  disabled: boolean;
  onChange: (change: Pick<RoleDraft, 'title' | 'description'>) => void;
};

/** The role's name (required) and description, above its permissions. */
export function RoleDetailsCard({ title, description, maxLength, disabled, onChange }: RoleDetailsCardProps) {
  const { t } = useTranslation();
  return (
    <Card size="small" title={t('system.roleDetails')}>
      <Form layout="vertical" disabled={disabled}>
        <Flex gap={16} wrap>
          <Form.Item
            label={t('system.roleTitle')}
            required
            validateStatus={title.trim() ? undefined : 'error'}
            help={title.trim() ? undefined : t('resource.required', { field: t('system.roleTitle') })}
            style={{ flex: '1 1 240px', marginBottom: 0 }}
          >
            <Input
              value={title}
              maxLength={maxLength('title')}
              onChange={(e) => onChange({ title: e.target.value })}
            />
          </Form.Item>
          <Form.Item label={t('system.roleDescription')} style={{ flex: '3 1 400px', marginBottom: 0 }}>
            <Input.TextArea
              value={description}
              autoSize={{ minRows: 1, maxRows: 4 }}
              maxLength={maxLength('description')}
              onChange={(e) => onChange({ description: e.target.value })}
            />
          </Form.Item>
        </Flex>
      </Form>
    </Card>
  );
}
