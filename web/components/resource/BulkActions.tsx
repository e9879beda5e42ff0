import { DownOutlined } from '@ant-design/icons';
import { App, Button, Dropdown } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Item, ResourceAction, ResourceMeta } from '../../api/resource.ts';
import { currentLanguage } from '../../i18n/index.ts';
import { ActionParamsModal } from './ActionParamsModal.tsx';
import { ConfirmRows } from './ConfirmRows.tsx';
import { describeError } from './errors.ts';
import { fieldTitle } from './fields.ts';

type BulkActionsProps = {
  meta: ResourceMeta;
  selected: (number | string)[];
  /** The rows of the page on screen (a selection never outlives its page), for confirmations that show them. */
  items: Item[];
  run: (name: string, params?: Record<string, unknown>) => Promise<{ affected: number }>;
  onDone: () => void;
};

/**
 * The actions the user may take on the selected rows: destructive ones ask first, some ask for
 * params, and those that name `confirmFields` ask showing the selected rows themselves.
 */
export function BulkActions({ meta, selected, items, run, onDone }: BulkActionsProps) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const language = currentLanguage();
  const [withParams, setWithParams] = useState<ResourceAction | null>(null);
  const actions = meta.actions.filter((action) => action.bulk && meta.allowed.actions[action.name]);
  if (actions.length === 0) return null;

  /** Runs an action and reports success; a failure is left to the caller, who knows where to show it. */
  const execute = async (action: ResourceAction, params?: Record<string, unknown>) => {
    const { affected } = await run(action.name, params);
    message.success(t('resource.actionDone', { action: fieldTitle(action, language), count: affected }));
    onDone();
  };
  const report = (error: unknown) => {
    message.error(describeError(error, t));
  };

  const start = (action: ResourceAction) => {
    if (action.params?.length) {
      setWithParams(action);
      return;
    }
    if (action.confirmFields?.length) {
      const chosen = items.filter((item) => selected.some((id) => String(id) === String(item.id)));
      modal.confirm({
        title: t('resource.actionConfirmListed', {
          action: fieldTitle(action, language),
          count: selected.length,
        }),
        content: <ConfirmRows meta={meta} fieldKeys={action.confirmFields} items={chosen} />,
        width: 860,
        okText: fieldTitle(action, language),
        okButtonProps: { danger: action.destructive },
        cancelText: t('resource.cancel'),
        rootClassName: 'action-confirm',
        onOk: () => execute(action).catch(report),
      });
      return;
    }
    if (!action.destructive) {
      void execute(action).catch(report);
      return;
    }
    modal.confirm({
      title: t('resource.actionConfirm', { action: fieldTitle(action, language), count: selected.length }),
      okText: fieldTitle(action, language),
      okButtonProps: { danger: true },
      cancelText: t('resource.cancel'),
      // Returning the promise keeps the dialog open with a spinner until the server answers.
      onOk: () => execute(action).catch(report),
    });
  };

  return (
    <>
      <Dropdown
        disabled={selected.length === 0}
        menu={{
          items: actions.map((action) => ({
            key: action.name,
            label: fieldTitle(action, language),
            danger: action.destructive,
          })),
          onClick: ({ key }) => {
            const action = actions.find((candidate) => candidate.name === key);
            if (action) start(action);
          },
        }}
      >
        <Button data-testid="bulk-actions">
          {t('resource.bulkActions')}
          {selected.length > 0 && ` (${selected.length})`}
          <DownOutlined />
        </Button>
      </Dropdown>
      {withParams && (
        <ActionParamsModal
          action={withParams}
          count={selected.length}
          onCancel={() => setWithParams(null)}
          onSubmit={async (params) => {
            await execute(withParams, params);
            setWithParams(null);
          }}
        />
      )}
    </>
  );
}
