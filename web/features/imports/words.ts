import type { TFunction } from 'i18next';
import i18next from 'i18next';
import type { ImportJob, ImportRowError, ImportSummary } from './api.ts';

/**
 * An import's reasons in the reader's language, from the codes and values the server stores
 * (server/modules/imports/words.ts says the same in its error report). Imports recorded before
 * codes existed carry only their Chinese sentence, which is shown as it is.
 */
const say = (t: TFunction) => t as unknown as (key: string, options?: Record<string, unknown>) => string;

export function rowErrorText(error: ImportRowError, t: TFunction): string {
  const key = `imports.rowErrors.${error.code}`;
  if (!error.code || !i18next.exists(key)) return error.message;
  const params = error.params ?? {};
  const field =
    typeof params.field === 'string' ? say(t)(`apiErrors.contactFields.${params.field}`) : undefined;
  return say(t)(key, { ...params, ...(field ? { field } : {}) });
}

export function failureText(job: ImportSummary | ImportJob, t: TFunction): string | null {
  const code = job.failureCode;
  const params = job.failureParams ?? {};
  const key =
    code === 'no_header' && params.read ? 'imports.failures.no_header_read' : `imports.failures.${code}`;
  if (!code || !i18next.exists(key)) return job.failure;
  const done = params.processed === undefined ? '' : say(t)('imports.doneSoFar', params);
  return `${say(t)(key, params)}${done}`;
}
