import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { actorOf } from '../../auth/gate.ts';
import { activeHolders } from '../../auth/holders.ts';
import { now } from '../../clock.ts';
import type { Db } from '../../db/client.ts';
import { codesInWords, importAssign, importMode, isCodeOf, jobStatus } from '../../db/schema/enums.ts';
import { badRequest, HttpError } from '../../http/errors.ts';
import { Enumerated, errors, Instant } from '../../http/schemas.ts';
import { OWNER_PERMISSION } from '../distributions/owners.ts';
import type { ImportWorker } from './queue.ts';
import { DEFAULT_IMPORT_LIMITS, fileTooLarge, type ImportLimits } from './refusals.ts';
import {
  commitPreview,
  createImport,
  getImport,
  type ImportAssign,
  type ImportMode,
  listImports,
  loadImport,
  refusedRows,
} from './service.ts';
import { errorReport, importTemplate } from './workbooks.ts';

const Id = Type.Integer({ minimum: 1, maximum: 2_147_483_647 });
const Assign = Enumerated(importAssign.codes);
const Named = Type.Object({ id: Type.Integer(), name: Type.String() });

const ImportSummary = {
  id: Type.Integer(),
  fileName: Type.String(),
  mode: Enumerated(importMode.codes),
  assign: Assign,
  status: Enumerated(jobStatus.codes),
  processed: Type.Integer(),
  total: Type.Integer(),
  valid: Type.Integer(),
  created: Type.Integer(),
  skipped: Type.Integer(),
  errorCount: Type.Integer(),
  failure: Type.Union([
    Type.String({ description: 'Why it failed, in Chinese (as every import has it)' }),
    Type.Null(),
  ]),
  failureCode: Type.Union([
    Type.String({
      description: 'Why it failed, as a code (imports/words.ts); null for imports failed before codes',
    }),
    Type.Null(),
  ]),
  failureParams: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  columns: Type.Array(Type.Object({ column: Type.String(), field: Type.String() })),
  ignoredColumns: Type.Array(Type.String()),
  previewId: Type.Union([Type.Integer(), Type.Null()]),
  user: Type.Union([Named, Type.Null()]),
  createdAt: Instant,
  startedAt: Type.Union([Instant, Type.Null()]),
  finishedAt: Type.Union([Instant, Type.Null()]),
};
const ImportBody = Type.Object({
  ...ImportSummary,
  errors: Type.Array(
    Type.Object({
      row: Type.Integer(),
      column: Type.Union([Type.String(), Type.Null()]),
      message: Type.String({ description: 'The reason in Chinese, as every row error has it' }),
      code: Type.Union([
        Type.String({
          description: 'The reason as a code (imports/words.ts); null for rows refused before codes',
        }),
        Type.Null(),
      ]),
      params: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
    }),
  ),
});

type Upload = { fileName: string; data: Buffer; mode: ImportMode; assign: ImportAssign };

/** The multipart form: `mode`, `assign` and one `file`, refusing anything else clearly. */
async function readUpload(request: FastifyRequest, limits: ImportLimits): Promise<Upload> {
  if (!request.isMultipart()) {
    throw badRequest('validation', 'Send the spreadsheet as multipart/form-data with a "file" field');
  }
  const fields: Record<string, string> = {};
  let file: { fileName: string; data: Buffer } | null = null;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file' || file) {
          part.file.resume();
          throw badRequest('validation', 'Send exactly one file, in the "file" field');
        }
        file = { fileName: part.filename || 'upload', data: await part.toBuffer() };
      } else {
        fields[part.fieldname] = String(part.value);
      }
    }
  } catch (error) {
    if (error instanceof HttpError) throw error;
    if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw fileTooLarge(limits);
    // Whatever else the parser tripped on (a cut-off body, a wrong boundary) is the upload's fault.
    throw badRequest('validation', 'The upload is not a well-formed multipart form');
  }
  const mode = fields.mode ?? 'preview';
  const assign = fields.assign ?? 'rotation';
  const unknown = Object.keys(fields).filter((k) => k !== 'mode' && k !== 'assign');
  if (unknown.length) {
    throw badRequest('validation', `${unknown[0]!.slice(0, 50)}: is not a known field`, [
      { field: unknown[0]!.slice(0, 50), message: 'is not a known field', code: 'unknown_field' },
    ]);
  }
  if (!isCodeOf(importMode, mode)) {
    const message = `must be ${codesInWords(importMode)}`;
    throw badRequest('validation', `mode: ${message}`, [{ field: 'mode', message, code: 'not_allowed' }]);
  }
  if (!isCodeOf(importAssign, assign)) {
    const message = `must be ${codesInWords(importAssign)}`;
    throw badRequest('validation', `assign: ${message}`, [{ field: 'assign', message, code: 'not_allowed' }]);
  }
  if (!file) throw badRequest('no_file', 'Choose a file to import');
  return { ...file, mode, assign };
}

/**
 * Customer imports (导入客户): the template, upload and check, preview, commit and error report.
 *
 * Every endpoint, and the code that runs it: engine/ is the resource engine (it scopes, validates
 * and audits); the other files are this folder's. test/endpoints.test.ts holds this table to the
 * routes the app serves.
 *
 *   GET /api/customers/import-template  template  workbooks.ts#importTemplate
 *   POST /api/customers/import          upload    service.ts#createImport
 *   GET /api/imports                    list      service.ts#listImports
 *   GET /api/imports/:id                read      service.ts#getImport
 *   GET /api/imports/:id/errors.xlsx    errors    workbooks.ts#errorReport
 *   POST /api/imports/:id/commit        commit    service.ts#commitPreview
 */
export const importRoutes: FastifyPluginAsyncTypebox<{
  db: Db;
  limits: Partial<ImportLimits>;
  worker: () => ImportWorker | null;
}> = async (app, { db, limits: given, worker }) => {
  const limits: ImportLimits = { ...DEFAULT_IMPORT_LIMITS, ...given };
  // Only this plugin's routes parse multipart; one file, no larger than the limit.
  await app.register(multipart, {
    limits: { fileSize: limits.maxBytes, files: 1, fields: 10, fieldSize: 1024, parts: 12 },
  });
  const access = { access: { permission: 'customer.import' as const } };

  app.get(
    '/api/customers/import-template',
    {
      config: access,
      schema: {
        tags: ['imports'],
        summary: 'The .xlsx template for bulk import',
        response: errors(401, 403),
      },
    },
    async (_request, reply) => {
      // The consultant column's drop-down: whoever may own customers (distributions/owners.ts).
      const consultants = await activeHolders(db, OWNER_PERMISSION);
      const file = await importTemplate([...new Set(consultants.map((c) => c.name))]);
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header(
          'content-disposition',
          `attachment; filename="customer-import-template.xlsx"; filename*=UTF-8''${encodeURIComponent('客户导入模板.xlsx')}`,
        )
        .send(file);
    },
  );

  app.post(
    '/api/customers/import',
    {
      config: access,
      schema: {
        tags: ['imports'],
        summary: 'Upload customers (.xlsx or .csv): preview checks every row, commit creates the valid ones',
        description:
          'multipart/form-data: `mode` = preview | commit, `assign` = rotation | column | pool, then `file`. Answers at once; poll GET /api/imports/:id.',
        response: {
          200: Type.Object({ importId: Type.Integer(), total: Type.Integer() }),
          ...errors(400, 401, 403),
        },
      },
    },
    async (request) => {
      const upload = await readUpload(request, limits);
      const record = await createImport(db, { userId: actorOf(request).userId, ...upload, limits });
      worker()?.kick();
      return { importId: record.id, total: record.totalRows };
    },
  );

  app.get(
    '/api/imports',
    {
      config: access,
      schema: {
        tags: ['imports'],
        summary: 'Recent imports (your own; everyone’s with customer.view_all)',
        response: {
          200: Type.Object({ items: Type.Array(Type.Object(ImportSummary)) }),
          ...errors(401, 403),
        },
      },
    },
    async (request) => ({ items: await listImports(db, actorOf(request)) }),
  );

  app.get(
    '/api/imports/:id',
    {
      config: access,
      schema: {
        tags: ['imports'],
        summary: 'An import: status, progress, counts and the first 1,000 row errors',
        params: Type.Object({ id: Id }),
        response: { 200: ImportBody, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => getImport(db, actorOf(request), request.params.id),
  );

  app.get(
    '/api/imports/:id/errors.xlsx',
    {
      config: access,
      schema: {
        tags: ['imports'],
        summary: 'The refused rows as they were, with a reason column, ready to fix and upload again',
        params: Type.Object({ id: Id }),
        querystring: Type.Object(
          { lang: Type.Optional(Type.Union([Type.Literal('zh'), Type.Literal('en')])) },
          { additionalProperties: false },
        ),
        response: errors(400, 401, 403, 404),
      },
    },
    async (request, reply) => {
      const record = await loadImport(db, actorOf(request), request.params.id);
      const lang = request.query.lang ?? 'zh';
      const stream = errorReport(
        record.header as unknown[],
        refusedRows(db, record.id, lang),
        lang,
        (error) => request.log.error({ err: error }, 'error report failed midway'),
      );
      const stamp = now().toISOString().slice(0, 10);
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header(
          'content-disposition',
          `attachment; filename="import-${record.id}-errors-${stamp}.xlsx"; filename*=UTF-8''${encodeURIComponent(lang === 'zh' ? `导入错误-${record.id}.xlsx` : `import-${record.id}-errors.xlsx`)}`,
        )
        .send(stream);
    },
  );

  app.post(
    '/api/imports/:id/commit',
    {
      config: access,
      schema: {
        tags: ['imports'],
        summary: 'Commit a finished preview: a new import of the same file, queued',
        params: Type.Object({ id: Id }),
        body: Type.Optional(Type.Object({ assign: Type.Optional(Assign) }, { additionalProperties: false })),
        response: {
          200: Type.Object({ importId: Type.Integer(), total: Type.Integer() }),
          ...errors(400, 401, 403, 404, 409),
        },
      },
    },
    async (request) => {
      const record = await commitPreview(db, actorOf(request), request.params.id, request.body?.assign);
      worker()?.kick();
      return { importId: record.id, total: record.totalRows };
    },
  );
};
