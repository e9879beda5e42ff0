import { eq } from 'drizzle-orm';
import { wasOwner } from '../../auth/scopes.ts';
import type { Actor } from '../../auth/sessions.ts';
import type { Executor } from '../../db/client.ts';
import { customers } from '../../db/schema/index.ts';
import type { Item } from '../../engine/types.ts';
import { maskContact } from './contacts.ts';
import { presentCustomers } from './present.ts';

/**
 * A customer's former owner — a consultant who followed it once, from whom it was released,
 * reassigned or grabbed — keeps its page in "my customers", read-only: the file as the pool shows
 * it (contacts masked), without the clocks of whoever follows it now. The customer scope, and so
 * every list, search, edit, follow-up and payment, stays as it is: this read is all they get.
 */
export type CustomerAccess = 'former_owner';

/** The customer as its former owner may read it, or null when the actor never owned it. */
export async function readAsFormerOwner(db: Executor, actor: Actor, id: number): Promise<Item | null> {
  if (!(await wasOwner(db, actor, id))) return null;
  const rows = await db.select().from(customers).where(eq(customers.id, id));
  const [item] = await presentCustomers(db, rows, actor);
  if (!item) return null;
  return {
    ...item,
    // Masked like the pool's, whoever owns it now (an admin who once owned it reads it in full anyway).
    phone: maskContact(item.phone as string | null),
    qq: maskContact(item.qq as string | null),
    wechat: maskContact(item.wechat as string | null),
    // The current owner's clocks are theirs, not the former owner's.
    recvAt: null,
    lastConsultAt: null,
    releaseAt: null,
    access: 'former_owner' satisfies CustomerAccess,
  };
}

/** Contacts masked in a customer's snapshot (an audit entry's before or after). */
export function maskSnapshot(snapshot: unknown): unknown {
  if (typeof snapshot !== 'object' || snapshot === null || Array.isArray(snapshot)) return snapshot;
  const record = snapshot as Record<string, unknown>;
  const masked: Record<string, unknown> = { ...record };
  for (const key of ['phone', 'qq', 'wechat', 'phoneNorm', 'qqNorm', 'wechatNorm']) {
    if (typeof record[key] === 'string') masked[key] = maskContact(record[key] as string);
  }
  return masked;
}
