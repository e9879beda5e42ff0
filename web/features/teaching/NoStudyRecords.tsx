import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Empty, Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useCurrentUser } from '../../app/useMe.ts';
import { describeError } from '../../components/resource/errors.ts';
import { useInitStudyRecords } from './lessonApi.ts';

/**
 * A lesson with no study records yet has nothing to mark: whoever may create lessons initialises
 * them here (one per active student of the class), and is told how many were added.
 */
export function NoStudyRecords({ lessonId }: { lessonId: number }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const canInit = useCurrentUser().permissions.includes('course_record.create');
  const init = useInitStudyRecords(lessonId);

  // Awaited rather than told through `mutate`'s callbacks: once the records are read again this
  // empty state is gone, and callbacks of a component gone are never called.
  const run = async () => {
    try {
      const created = await init.mutateAsync();
      if (created > 0) message.success(t('lessonSheets.initDone', { count: created }));
      else message.info(t('lessonSheets.initNone'));
    } catch (error) {
      message.error(describeError(error, t));
    }
  };

  return (
    <Card data-testid="lesson-no-records">
      <Empty
        description={
          <Flex vertical gap={4}>
            <Typography.Text strong>{t('lessonSheets.empty')}</Typography.Text>
            <Typography.Text type="secondary">
              {canInit ? t('lessonSheets.emptyHint') : t('lessonSheets.emptyAsk')}
            </Typography.Text>
          </Flex>
        }
      >
        {canInit && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            loading={init.isPending}
            onClick={() => void run()}
            data-testid="lesson-init"
          >
            {t('lessonSheets.init')}
          </Button>
        )}
      </Empty>
    </Card>
  );
}
