import { DeleteOutlined } from '@ant-design/icons';
import { Button, Popconfirm } from 'antd';
import { useTranslation } from 'react-i18next';

/** The row's delete link: asks first, naming what will go. */
export function DeleteButton({ name, onConfirm }: { name: string; onConfirm: () => void }) {
  const { t } = useTranslation();
  return (
    <Popconfirm
      title={t('resource.deleteConfirm', { name })}
      description={t('resource.deleteConfirmHint')}
      okText={t('resource.delete')}
      okButtonProps={{ danger: true }}
      cancelText={t('resource.cancel')}
      onConfirm={onConfirm}
    >
      <Button type="link" size="small" danger icon={<DeleteOutlined />}>
        {t('resource.delete')}
      </Button>
    </Popconfirm>
  );
}
