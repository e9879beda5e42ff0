import type { Executor } from '../../db/client.ts';
import { type Lookup, lookups, type Named } from '../../engine/present.ts';
import type { FieldDef, Item, ResourceConfig } from '../../engine/types.ts';

/**
 * An audit row as a person reads it: who did it, the record it touched by name (as the record was
 * named then, from the row's own snapshot, or — for writes that kept no name — as it is named now),
 * how many records a bulk action touched, and which fields an edit changed.
 */
export type AuditChange = { key: string; title: string; titleEn: string };

type Snapshot = Record<string, unknown>;

/** Records whose current name can be looked up when the snapshot has none (a grab keeps only ids). */
const lookupOf: Record<string, Lookup> = {
  users: lookups.users,
  customers: lookups.customers,
  students: lookups.students,
  classes: lookups.classes,
  'course-records': lookups.lessons,
};

const NAME_LENGTH = 60;
const clip = (text: string) => (text.length > NAME_LENGTH ? `${text.slice(0, NAME_LENGTH - 1)}…` : text);
const isObject = (value: unknown): value is Snapshot => typeof value === 'object' && value !== null;

function nameOfObject(value: unknown): string | null {
  if (!isObject(value)) return null;
  const name = value.name ?? value.title ?? value.label;
  return typeof name === 'string' && name.trim() ? name : null;
}

/** The record's name in a snapshot: its label field, else the names of what it points at. */
export function snapshotName(config: ResourceConfig | undefined, snapshot: unknown): string | null {
  if (!config || !isObject(snapshot)) return null;
  // A follow-up's label is its note: a paragraph names nothing; what it is about does.
  const labelKind = config.fields.find((f) => f.key === config.labelField)?.kind;
  if (config.labelField !== 'id' && labelKind !== 'longtext') {
    const label = snapshot[config.labelField];
    if (typeof label === 'string' && label.trim()) return clip(label.trim());
    if (typeof label === 'number') return String(label);
  }
  const names = config.fields
    .filter((f) => f.kind === 'ref' && f.display && !f.multiple)
    .map((f) => nameOfObject(snapshot[f.display!]))
    .filter((name): name is string => name !== null);
  return names.length ? clip(names.slice(0, 2).join(' · ')) : null;
}

/** The fields an edit changed, by their titles (time stamps aside). */
export function changedFields(
  config: ResourceConfig | undefined,
  before: unknown,
  after: unknown,
): AuditChange[] {
  if (!config || !isObject(before) || !isObject(after)) return [];
  const differs = (field: FieldDef) =>
    field.key in after &&
    JSON.stringify(before[field.key] ?? null) !== JSON.stringify(after[field.key] ?? null);
  return config.fields
    .filter((f) => f.kind !== 'password' && f.key !== 'id' && f.key !== 'updatedAt')
    .filter(differs)
    .map(({ key, title, titleEn }) => ({ key, title, titleEn }));
}

/** How many records a write without one record touched: a bulk action's ids, an import's customers. */
function countOf(action: string, after: unknown): number | null {
  if (!isObject(after)) return null;
  if (Array.isArray(after.ids)) return after.ids.length;
  if (action === 'import' && typeof after.created === 'number') return after.created;
  if (action === 'export' && typeof after.rows === 'number') return after.rows;
  return null;
}

export function auditPresenter(resources: ResourceConfig[]) {
  const configOf = (entity: unknown) => resources.find((r) => r.name === entity);
  return async (db: Executor, rows: Record<string, unknown>[]): Promise<Item[]> => {
    const actorIds = [
      ...new Set(rows.map((r) => r.actorId).filter((id): id is number => typeof id === 'number')),
    ];
    const actors = actorIds.length ? await lookups.users(db, actorIds) : [];

    const named = new Map<number, string>();
    // Rows that kept no name: look the record up now, one query per kind of record; a record that
    // only points at a customer (a follow-up written by its service) is named by that customer.
    const wanted = new Map<Lookup, Set<number>>();
    const want = (lookup: Lookup, id: number) =>
      wanted.set(lookup, (wanted.get(lookup) ?? new Set()).add(id));
    const pending: { row: Record<string, unknown>; lookup: Lookup; id: number }[] = [];
    for (const row of rows) {
      if (typeof row.entityId !== 'number') continue;
      const name =
        snapshotName(configOf(row.entity), row.after) ?? snapshotName(configOf(row.entity), row.before);
      if (name) {
        named.set(row.id as number, name);
        continue;
      }
      const snapshot = isObject(row.after) ? row.after : isObject(row.before) ? row.before : {};
      const direct = lookupOf[row.entity as string];
      const target = direct
        ? { lookup: direct, id: row.entityId }
        : typeof snapshot.customerId === 'number'
          ? { lookup: lookups.customers, id: snapshot.customerId }
          : null;
      if (target) {
        want(target.lookup, target.id);
        pending.push({ row, ...target });
      }
    }
    const found = new Map<Lookup, Named[]>();
    for (const [lookup, ids] of wanted) found.set(lookup, await lookup(db, [...ids]));

    return rows.map((row) => {
      const config = configOf(row.entity);
      const late = pending.find((p) => p.row === row);
      const lookedUp = late ? found.get(late.lookup)?.find((n) => n.id === late.id) : undefined;
      const name = named.get(row.id as number) ?? lookedUp?.name;
      const one = typeof row.entityId === 'number';
      return {
        id: row.id as number,
        at: row.at,
        actorId: row.actorId,
        actor: actors.find((a) => a.id === row.actorId) ?? null,
        action: row.action,
        entity: row.entity,
        entityId: row.entityId,
        recordName: one ? (name ? clip(name) : `#${row.entityId}`) : null,
        recordNameEn: lookedUp?.nameEn ? clip(lookedUp.nameEn) : null,
        count: one ? null : countOf(row.action as string, row.after),
        changes: row.action === 'update' ? changedFields(config, row.before, row.after) : [],
        before: row.before,
        after: row.after,
      } as Item;
    });
  };
}
