import { Card, Checkbox, Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { localTitle } from '../../app/menu.ts';
import { CodeTip } from '../../components/resource/CodeTip.tsx';
import { currentLanguage } from '../../i18n/index.ts';
import { groupState, type PermissionGroup, type PermissionRow } from './permissionGroups.ts';

type PermissionGroupCardProps = {
  group: PermissionGroup;
  granted: ReadonlySet<string>;
  disabled: boolean;
  /** Whether the editor may give this code; one they may not is never ticked. */
  grantable: (code: string) => boolean;
  onToggle: (code: string, checked: boolean) => void;
  onToggleAll: (checked: boolean) => void;
};

/** One menu group of the role matrix: a select-all in the header, each page with its actions below it. */
export function PermissionGroupCard({
  group,
  granted,
  disabled,
  grantable,
  onToggle,
  onToggleAll,
}: PermissionGroupCardProps) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const title = group.menu ? localTitle(group.menu, language) : t('system.otherGroup');
  const state = groupState(granted, group);
  const count = group.rows.filter(({ permission }) => granted.has(permission.code)).length;
  // Nothing here the editor may tick or untick: the select-all would do nothing, so it is greyed too.
  const locked =
    disabled ||
    group.rows.every(({ permission }) => !granted.has(permission.code) && !grantable(permission.code));

  return (
    <Card
      size="small"
      data-testid={`permission-group-${group.key}`}
      title={
        <Checkbox
          checked={state === 'all'}
          indeterminate={state === 'some'}
          disabled={locked}
          onChange={(event) => onToggleAll(event.target.checked)}
          aria-label={`${t('system.selectAll')} ${title}`}
        >
          <Typography.Text strong type={locked ? 'secondary' : undefined}>
            {title}
          </Typography.Text>
        </Checkbox>
      }
      extra={
        <Typography.Text type="secondary">
          {t('system.grantedCount', { count, total: group.rows.length })}
        </Typography.Text>
      }
    >
      <Flex vertical gap={10}>
        {chunks(group.rows).map(([head, ...children]) =>
          head ? (
            <Flex key={head.permission.code} vertical gap={4}>
              <PermissionCheckbox
                row={head}
                checked={granted.has(head.permission.code)}
                disabled={disabled || !(granted.has(head.permission.code) || grantable(head.permission.code))}
                onToggle={onToggle}
              />
              {children.length > 0 && (
                <Flex wrap gap="4px 16px" style={{ paddingInlineStart: 24 }}>
                  {children.map((row) => (
                    <PermissionCheckbox
                      key={row.permission.code}
                      row={row}
                      checked={granted.has(row.permission.code)}
                      disabled={
                        disabled || !(granted.has(row.permission.code) || grantable(row.permission.code))
                      }
                      onToggle={onToggle}
                    />
                  ))}
                </Flex>
              )}
            </Flex>
          ) : null,
        )}
      </Flex>
    </Card>
  );
}

function PermissionCheckbox({
  row,
  checked,
  disabled,
  onToggle,
}: {
  row: PermissionRow;
  checked: boolean;
  disabled: boolean;
  onToggle: (code: string, checked: boolean) => void;
}) {
  const { permission, depth } = row;
  const title = localTitle(permission, currentLanguage());
  return (
    <Checkbox
      checked={checked}
      disabled={disabled}
      onChange={(event) => onToggle(permission.code, event.target.checked)}
      data-code={permission.code}
    >
      {/* The code is for administrators, in the tooltip; everyone reads the title. */}
      <CodeTip code={permission.code}>
        {depth === 0 ? (
          // Bold would otherwise keep a greyed-out page as black as one that may be ticked.
          <Typography.Text strong type={disabled ? 'secondary' : undefined}>
            {title}
          </Typography.Text>
        ) : (
          title
        )}
      </CodeTip>
    </Checkbox>
  );
}

/** Splits the rows where a new top-level permission starts, so each page and its actions stay together. */
function chunks(rows: PermissionRow[]): PermissionRow[][] {
  const result: PermissionRow[][] = [];
  for (const row of rows) {
    if (row.depth === 0 || result.length === 0) result.push([row]);
    else result.at(-1)?.push(row);
  }
  return result;
}
