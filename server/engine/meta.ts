import type { Actor } from '../auth/sessions.ts';
import type { FieldDef, ResourceConfig } from './types.ts';

function describeField(field: FieldDef) {
  const { column: _column, filterSql: _filterSql, ...rest } = field;
  return {
    ...rest,
    list: field.list ?? true,
    sortable: field.column !== undefined && field.sortable !== false,
    form: field.form ?? !field.readOnly,
  };
}

/** What the UI needs to draw a list and a form, and what this caller may do with them. */
export function describeResource(config: ResourceConfig, actor: Actor) {
  const may = (code: string | undefined) => code !== undefined && actor.permissions.has(code);
  const actions = Object.entries(config.actions ?? {});
  return {
    name: config.name,
    title: config.title,
    titleEn: config.titleEn,
    fields: config.fields.filter((f) => f.kind !== 'password' || f.createOnly).map(describeField),
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
      ...(a.params ? { params: a.params.map(describeField) } : {}),
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
