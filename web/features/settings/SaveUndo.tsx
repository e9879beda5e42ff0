import { SaveOutlined } from '@ant-design/icons';
import { Button, Space } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** A settings form's 保存 and 撤销修改, both idle until something changed; `children` sit after them. */
export function SaveUndo({
  dirty,
  saving,
  onUndo,
  testId,
  children,
}: {
  dirty: boolean;
  saving: boolean;
  onUndo: () => void;
  testId: string;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Space align="center" wrap>
      <Button
        type="primary"
        htmlType="submit"
        icon={<SaveOutlined />}
        loading={saving}
        disabled={!dirty}
        data-testid={testId}
      >
        {t('resource.save')}
      </Button>
      <Button disabled={!dirty || saving} onClick={onUndo}>
        {t('poolSettings.undo')}
      </Button>
      {children}
    </Space>
  );
}
