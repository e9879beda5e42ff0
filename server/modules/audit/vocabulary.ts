import type { Option, ResourceConfig } from '../../engine/types.ts';

/**
 * The audit log's words: what each stored action and entity code means, in both languages. The
 * engine writes `create`/`update`/`delete`/`export` and each resource's action names; the services
 * write a few of their own. A code missing here would reach the screen raw, so every resource's
 * actions are read from the resources themselves.
 */
const ownActions: Option[] = [
  { value: 'create', title: '创建', titleEn: 'Created' },
  { value: 'update', title: '修改', titleEn: 'Updated' },
  { value: 'delete', title: '删除', titleEn: 'Deleted' },
  { value: 'export', title: '导出', titleEn: 'Exported' },
  { value: 'import', title: '导入', titleEn: 'Imported' },
  { value: 'grab', title: '抢单', titleEn: 'Grabbed' },
  { value: 'password', title: '设置密码', titleEn: 'Set password' },
  { value: 'scores', title: '录成绩', titleEn: 'Entered scores' },
  { value: 'notify-settings', title: '修改通知设置', titleEn: 'Changed notification settings' },
  { value: 'wechat-bind', title: '绑定微信', titleEn: 'Bound WeChat' },
  { value: 'wechat-unbind', title: '解绑微信', titleEn: 'Unbound WeChat' },
];

/** Entities written by services rather than through a resource. */
const ownEntities: Option[] = [
  { value: 'pool-settings', title: '公海规则', titleEn: 'Pool rules' },
  { value: 'teaching-settings', title: '教学规则', titleEn: 'Teaching rules' },
];

/** Views over other tables: nothing is ever written as them. */
const views = new Set(['pool', 'my-customers', 'audit-log']);

export function auditActions(resources: ResourceConfig[]): Option[] {
  const options = [...ownActions];
  for (const resource of resources) {
    for (const [name, action] of Object.entries(resource.actions ?? {})) {
      if (!options.some((o) => o.value === name)) {
        options.push({ value: name, title: action.title, titleEn: action.titleEn });
      }
    }
  }
  return options;
}

export function auditEntities(resources: ResourceConfig[]): Option[] {
  const options: Option[] = resources
    .filter((r) => !views.has(r.name))
    .map((r) => ({ value: r.name, title: r.title, titleEn: r.titleEn }));
  return [...options, ...ownEntities];
}
