import { InboxOutlined } from '@ant-design/icons';
import { Upload, type UploadFile } from 'antd';
import { useTranslation } from 'react-i18next';

type FileDropProps = {
  file: UploadFile | null;
  onChange: (file: UploadFile | null) => void;
  disabled: boolean;
};

/** The spreadsheet to import, dropped or chosen: one at a time, kept here and sent with the preview. */
export function FileDrop({ file, onChange, disabled }: FileDropProps) {
  const { t } = useTranslation();
  return (
    <div data-testid="import-file">
      <Upload.Dragger
        accept=".xlsx,.csv"
        multiple={false}
        maxCount={1}
        fileList={file ? [file] : []}
        // Kept here and sent with the preview, not uploaded on its own.
        beforeUpload={(chosen) => {
          onChange({ uid: chosen.uid, name: chosen.name, size: chosen.size, originFileObj: chosen });
          return false;
        }}
        onRemove={() => {
          onChange(null);
          return true;
        }}
        disabled={disabled}
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined />
        </p>
        <p className="ant-upload-text">{t('imports.dropHint')}</p>
        <p className="ant-upload-hint">{t('imports.dropFormats')}</p>
      </Upload.Dragger>
    </div>
  );
}
