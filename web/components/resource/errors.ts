import type { FormInstance } from 'antd';
import type { TFunction } from 'i18next';
import { ApiError, type ErrorDetail } from '../../api/client.ts';

/**
 * The server answers `{ error, message, details }` with an English message. Codes the product
 * knows get their own words in the user's language; anything else shows the server's message.
 */
const knownCodes = [
  'last_admin',
  'cannot_disable_self',
  'cannot_delete_self',
  'username_taken',
  'code_taken',
  'duplicate',
  'referenced',
  'not_found',
  'forbidden',
  'csrf',
  'network',
  'no_file',
  'empty_file',
  'file_too_large',
  'too_many_rows',
  'not_spreadsheet',
  'encrypted_workbook',
  'legacy_xls',
  'zip_bomb',
] as const;
type KnownCode = (typeof knownCodes)[number];
const isKnownCode = (code: string): code is KnownCode => (knownCodes as readonly string[]).includes(code);

/** Codes whose server message names the particular cause, shown after our own words. */
const withServerMessage = new Set<string>(['referenced', 'duplicate', 'file_too_large', 'too_many_rows']);

export function describeError(error: unknown, t: TFunction): string {
  if (!(error instanceof ApiError)) return t('apiErrors.failed', { message: String(error) });
  if (isKnownCode(error.code)) {
    const text = t(`apiErrors.${error.code}`);
    return withServerMessage.has(error.code) && error.message ? `${text}（${error.message}）` : text;
  }
  if (error.code === 'validation') {
    const first = error.details[0];
    if (first) return t('apiErrors.validation', { message: translateDetail(first, t) });
    return t('apiErrors.validation', { message: error.message });
  }
  if (error.status === 403) return t('apiErrors.forbidden');
  return t('apiErrors.failed', { message: error.message || error.code });
}

/** The few messages the server's validation uses, in the user's language; others pass through. */
export function translateDetail(detail: ErrorDetail, t: TFunction): string {
  const message = detail.message.trim();
  if (message === 'is required') return t('apiErrors.detail.required');
  if (message === 'is invalid') return t('apiErrors.detail.invalid');
  if (message === 'is not a known field') return t('apiErrors.detail.unknownField');
  if (/at least 8 characters/.test(message)) return t('apiErrors.detail.passwordShort');
  if (/must not be the username/.test(message)) return t('apiErrors.detail.passwordIsUsername');
  const fewer = /must NOT have fewer than (\d+) characters/.exec(message);
  if (fewer) return t('apiErrors.detail.minLength', { count: Number(fewer[1]) });
  const more = /must NOT have more than (\d+) characters/.exec(message);
  if (more) return t('apiErrors.detail.maxLength', { count: Number(more[1]) });
  return message;
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
