/** One role as `GET /api/roles/:id` answers it. */
export type Role = {
  id: number;
  code: string;
  title: string;
  description: string;
  permissionCodes: string[];
  /** False when the caller may not change this role at all (the admin role, for a non-administrator). */
  editable?: boolean;
};

/** What the editor has changed and not saved yet; a key left out is as saved. */
export type RoleDraft = { title?: string; description?: string; codes?: Set<string> };

/** The PATCH body: only what differs from the saved role. */
export function changes(role: Role, draft: RoleDraft, saved: ReadonlySet<string>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const title = (draft.title ?? role.title).trim();
  const description = (draft.description ?? role.description ?? '').trim();
  if (title !== role.title) body.title = title;
  if (description !== (role.description ?? '')) body.description = description;
  if (draft.codes && !sameSet(draft.codes, saved)) body.permissionCodes = [...draft.codes].sort();
  return body;
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((code) => b.has(code));
}
