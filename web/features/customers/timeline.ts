import type { TFunction } from 'i18next';
import type { Field, ResourceMeta } from '../../api/resource.ts';
import { fieldTitle } from '../../components/resource/fields.ts';
import type { Language } from '../../i18n/index.ts';
import type { TimelineEvent } from './api.ts';

/** How one timeline event reads: a one-line summary, and the free text that came with it. */
export type EventText = { summary: string; note: string };

/**
 * The customer's fields an edit changed, in the meta's order, from the audit entry's before and
 * after (whole presented customers). Only fields the meta describes count: bookkeeping such as
 * `updatedAt` or the normalised contacts is not something the user changed.
 */
export function changedFields(meta: ResourceMeta, before: unknown, after: unknown): Field[] {
  if (!isRecord(before) || !isRecord(after)) return [];
  return meta.fields.filter((field) => field.key !== 'id' && !sameValue(before[field.key], after[field.key]));
}

/** `¥12,800`, `¥12,800.50`: money as the school writes it, cents only when there are some. */
export function formatMoney(value: unknown, language: Language): string {
  const number = Number(value);
  if (value === null || value === undefined || value === '' || !Number.isFinite(number)) return '';
  const digits = Number.isInteger(number) ? 0 : 2;
  const amount = Math.abs(number).toLocaleString(language, {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  return `${number < 0 ? '-' : ''}¥${amount}`;
}

/** The words of one event in the current language. */
export function describeEvent(
  event: TimelineEvent,
  { t, meta, language }: { t: TFunction; meta: ResourceMeta; language: Language },
): EventText {
  const { detail } = event;
  const user = event.user?.name ?? t('customers.someone');
  const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
  switch (event.kind) {
    case 'ownership_started':
      return {
        summary: t('customers.event.ownershipStarted', {
          user,
          via: codeLabel(t('customers.via', { returnObjects: true }), detail.via),
        }),
        note: text(detail.memo),
      };
    case 'ownership_ended':
      return {
        summary: t('customers.event.ownershipEnded', {
          user,
          status: codeLabel(t('customers.periodStatus', { returnObjects: true }), detail.status),
        }),
        note: text(detail.memo),
      };
    case 'follow_up':
      return {
        summary: t('customers.event.followUp', {
          channel: codeLabel(t('customers.channel', { returnObjects: true }), detail.channel),
        }),
        note: text(detail.note),
      };
    case 'payment':
      return {
        summary: t('customers.event.payment', {
          payType: codeLabel(t('customers.payType', { returnObjects: true }), detail.payType),
          amount: formatMoney(detail.paidFee, language),
        }).trim(),
        note: '',
      };
    case 'change':
      return { summary: describeChange(detail, { t, meta, language }), note: '' };
    default:
      return { summary: String(event.kind), note: '' };
  }
}

function describeChange(
  detail: Record<string, unknown>,
  { t, meta, language }: { t: TFunction; meta: ResourceMeta; language: Language },
): string {
  switch (detail.action) {
    case 'create':
      return t('customers.event.created');
    case 'delete':
      return t('customers.event.deleted');
    case 'update': {
      const fields = changedFields(meta, detail.before, detail.after);
      if (fields.length === 0) return t('customers.event.edited');
      const titles = fields.map((field) => fieldTitle(field, language));
      return t('customers.event.updated', { fields: titles.join(t('app.listSeparator')) });
    }
    default:
      return t('customers.event.action', { action: String(detail.action ?? '') });
  }
}

/** A code's label from one of the translation tables; an unknown code shows as itself. */
function codeLabel(labels: Record<string, string>, code: unknown): string {
  if (typeof code !== 'string') return '';
  return Object.hasOwn(labels, code) ? (labels[code] ?? code) : code;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Equal as the user sees it: a list in another order, or null against nothing, is no change. */
function sameValue(a: unknown, b: unknown): boolean {
  const normal = (value: unknown) =>
    JSON.stringify(Array.isArray(value) ? value.map(String).sort() : (value ?? null));
  return normal(a) === normal(b);
}
