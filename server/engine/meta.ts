import type { PermissionCode } from '../auth/catalogue.ts';
import type { Actor } from '../auth/sessions.ts';
import type { FieldDef, ResourceConfig } from './types.ts';

/**
 * Whether the actor may look up names of `ref`'s records — through its names-only options, or its
 * list — as a picker must. A filter on a ref they cannot pick from is not offered: it could only
 * fail (finance, who see every payment, may not search customers).
 */
export type CanPick = (ref: string, actor: Actor) => boolean;

function describeField(field: FieldDef, offered: (field: FieldDef) => boolean = () => true) {
  const { column: _column, filterSql: _filterSql, ...rest } = field;
  return {
    ...rest,
    filter: offered(field) ? field.filter : undefined,
    list: field.list ?? true,
    sortable: field.column !== undefined && field.sortable !== false,
    form: field.form ?? !field.readOnly,
  };
}

/** What the UI needs to draw a list and a form, and what this caller may do with them. */
export function describeResource(config: ResourceConfig, actor: Actor, canPick?: CanPick) {
  const may = (code: PermissionCode | undefined) => code !== undefined && actor.permissions.has(code);
  const offered = (field: FieldDef) =>
    !(field.kind === 'ref' && field.ref && canPick && !canPick(field.ref, actor));
  const actions = Object.entries(config.actions ?? {});
  return {
    name: config.name,
    title: config.title,
    titleEn: config.titleEn,
    fields: config.fields
      .filter((f) => f.kind !== 'password' || f.createOnly)
      .map((f) => describeField(f, offered)),
    searchFields: config.searchFields,
    defaultSort: config.defaultSort,
    labelField: config.labelField,
    actions: actions.map(([name, a]) => ({
      name,
      title: a.title,
      titleEn: a.titleEn,
      destructive: a.destructive ?? false,
      bulk: a.bulk ?? true,
      ...(a.confirmFields ? { confirmFields: a.confirmFields } : {}),
      ...(a.params ? { params: a.params.map((f) => describeField(f)) } : {}),
    })),
    allowed: {
      list: may(config.permissions.list),
      create: may(config.permissions.create),
      update: may(config.permissions.update),
      delete: may(config.permissions.delete),
      export: may(config.permissions.export ?? config.permissions.list),
      actions: Object.fromEntries(actions.map(([name, a]) => [name, may(a.permission)])),
    },
  };
}
