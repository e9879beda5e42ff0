import type { FormInstance } from 'antd';
import type { TFunction } from 'i18next';
import i18next from 'i18next';
import { ApiError, type ErrorDetail, type ErrorParams } from '../../api/client.ts';

/**
 * The server answers `{ error, message, params, details }`: a code, an English message for logs
 * and API users, and the values the refusal names. The user reads it in their own language, worded
 * here from the code and params (`apiErrors.<code>`; test/error-words.test.ts checks that every code
 * the server can send has its words in every language).
 */
export function describeError(error: unknown, t: TFunction): string {
  if (!(error instanceof ApiError)) return t('apiErrors.failed', { message: String(error) });
  if (error.code === 'validation') {
    const first = error.details[0];
    return t('apiErrors.validation', {
      message: first ? translateDetail(first, t) : t('apiErrors.detail.invalid'),
    });
  }
  const duplicate = duplicateCustomer(error, t);
  if (duplicate) return duplicate;
  if (error.code === 'referenced' && typeof error.params.table === 'string') {
    const table = `apiErrors.tables.${error.params.table}`;
    if (i18next.exists(table)) return t('apiErrors.referencedBy', { what: byKey(t)(table) });
  }
  const key = `apiErrors.${error.code}`;
  if (i18next.exists(key) || i18next.exists(`${key}_other`)) {
    return byKey(t)(key, wordsOf(error.params, t));
  }
  if (error.status === 401) return t('apiErrors.unauthorized');
  if (error.status === 403) return t('apiErrors.forbidden');
  if (error.code.startsWith('http_')) return t('apiErrors.httpStatus', { status: error.status });
  return t('apiErrors.failed', { message: error.message || error.code });
}

/** A customer already on file, naming who has it (the owner, the pool, or the caller). */
function duplicateCustomer(error: ApiError, t: TFunction): string | null {
  const { owner, field } = error.params;
  const key = `apiErrors.duplicateCustomer.${owner}`;
  if (error.code !== 'duplicate' || typeof owner !== 'string' || !i18next.exists(key)) return null;
  const say = byKey(t);
  return say(key, { ...error.params, field: say(`apiErrors.contactFields.${field}`) });
}

/**
 * A refusal's params as words: codes among them (a pay type, what a file turned out to be) in the
 * user's language, and numbers grouped as the language groups them.
 */
function wordsOf(params: ErrorParams, t: TFunction): Record<string, string | number> {
  const words: Record<string, string | number> = { ...params };
  const say = byKey(t);
  if (typeof params.payType === 'string') words.payType = say(`customers.payType.${params.payType}`);
  if (typeof params.kind === 'string') words.kind = say(`apiErrors.notSpreadsheetKind.${params.kind}`);
  return words;
}

/** `t` for a key made at run time from a server's code (the typed `t` takes only literal keys). */
const byKey = (t: TFunction) => t as unknown as (key: string, options?: Record<string, unknown>) => string;

/** A field's problem in the user's language, from the rule it broke and the rule's values. */
export function translateDetail(detail: ErrorDetail, t: TFunction): string {
  const key = detail.code ? `apiErrors.detail.${detail.code}` : '';
  if (key && (i18next.exists(key) || i18next.exists(`${key}_other`))) {
    const params = detail.params ?? {};
    const count = typeof params.limit === 'number' ? params.limit : undefined;
    return byKey(t)(key, { ...params, ...(count === undefined ? {} : { count }) });
  }
  return t('apiErrors.detail.invalid');
}

/**
 * Puts the server's `details` beside the form fields they name. Returns whether every detail found
 * its field (when not, the caller should also show the message on its own).
 */
export function showFieldErrors(
  form: FormInstance,
  error: unknown,
  fieldKeys: string[],
  t: TFunction,
): boolean {
  if (!(error instanceof ApiError)) return false;
  // A duplicate that names its record says which field it shares (a customer's phone, QQ or WeChat).
  const existing = duplicateOf(error);
  if (existing && fieldKeys.includes(existing.field)) {
    form.setFields([{ name: existing.field, errors: [t('apiErrors.usedBy', { name: existing.name })] }]);
    return true;
  }
  // `username_taken` and its kind name their field in the code.
  const taken = error.code.endsWith('_taken') ? error.code.slice(0, -'_taken'.length) : null;
  if (taken && fieldKeys.includes(taken)) {
    form.setFields([{ name: taken, errors: [describeError(error, t)] }]);
    return true;
  }
  if (error.details.length === 0) return false;
  const mapped = error.details.filter((detail) => fieldKeys.includes(fieldOf(detail)));
  form.setFields(mapped.map((detail) => ({ name: fieldOf(detail), errors: [translateDetail(detail, t)] })));
  return mapped.length === error.details.length;
}

/** The record a `409 duplicate` names: `{ error: 'duplicate', message, existing: { … } }`. */
export type DuplicateOf = {
  id: number;
  name: string;
  /** The field the two records share, e.g. `phone`. */
  field: string;
  consultant: { id: number; name: string } | null;
  /** Whether the caller owns it, and so may open it. */
  mine: boolean;
};

/** The existing record of a duplicate answer, or null when the answer names none. */
export function duplicateOf(error: unknown): DuplicateOf | null {
  if (!(error instanceof ApiError) || error.code !== 'duplicate') return null;
  const existing = error.body.existing as Partial<DuplicateOf> | null | undefined;
  if (typeof existing !== 'object' || existing === null) return null;
  if (typeof existing.id !== 'number' || typeof existing.field !== 'string') return null;
  return {
    id: existing.id,
    name: typeof existing.name === 'string' ? existing.name : `#${existing.id}`,
    field: existing.field,
    consultant: existing.consultant ?? null,
    mine: existing.mine === true,
  };
}

/** `roleIds.0` names the field `roleIds`. */
const fieldOf = (detail: ErrorDetail): string => detail.field.split('.')[0] ?? detail.field;
