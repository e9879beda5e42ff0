import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { actorOf } from '../auth/gate.ts';
import type { Actor } from '../auth/sessions.ts';
import { now } from '../clock.ts';
import type { Db } from '../db/client.ts';
import { badRequest } from '../http/errors.ts';
import { errors } from '../http/schemas.ts';
import { writeAudit } from './audit.ts';
import { type ListQuery, listQuerySchema, orderOf, whereOf } from './query.ts';
import type { ResourceService } from './service.ts';
import type { FieldDef, Item, ResourceConfig } from './types.ts';

export const MAX_EXPORT_ROWS = 100_000;
const BATCH = 1_000;

export type Lang = 'zh' | 'en';

/** A spreadsheet would run `=HYPERLINK(…)` typed into a name: such cells are kept as text. */
export function neutralise(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function formatInstant(value: unknown, timezone: string): string {
  const at = value instanceof Date ? value : new Date(String(value));
  if (Number.isNaN(at.getTime())) return '';
  // sv-SE formats as "2026-05-01 12:00".
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).format(at);
}

/** A referenced record's name, in English where it has one (`nameEn`, `titleEn`, `labelEn`). */
const nameOf = (value: unknown, lang: Lang): string => {
  if (value && typeof value === 'object') {
    const named = value as Record<string, unknown>;
    const english = lang === 'en' ? (named.nameEn ?? named.titleEn ?? named.labelEn) : undefined;
    return String(english || (named.name ?? named.title ?? named.label ?? ''));
  }
  return value == null ? '' : String(value);
};

/** One cell as a person reads it: labels, names and local times, never codes or ids. */
export function cellValue(field: FieldDef, item: Item, lang: Lang, timezone: string): string | number | null {
  const value = item[field.key];
  switch (field.kind) {
    case 'enum': {
      const label = (v: unknown) => {
        const option = field.options?.find((o) => o.value === v);
        return option ? (lang === 'zh' ? option.title : option.titleEn) : String(v ?? '');
      };
      return Array.isArray(value) ? value.map(label).join('、') : value == null ? null : label(value);
    }
    case 'ref': {
      const shown = field.display ? item[field.display] : value;
      return Array.isArray(shown)
        ? shown.map((one) => nameOf(one, lang)).join('、')
        : nameOf(shown, lang) || null;
    }
    case 'bool':
      return value == null ? null : lang === 'zh' ? (value ? '是' : '否') : value ? 'Yes' : 'No';
    case 'datetime':
      return value == null ? null : formatInstant(value, timezone);
    case 'int':
    case 'money':
      return value == null || value === '' ? null : Number(value);
    default:
      return value == null ? null : neutralise(String(value));
  }
}

/**
 * Streams the filtered list as .xlsx, a page of rows at a time, so memory stays flat however many
 * rows match (up to MAX_EXPORT_ROWS, past which the caller is asked to narrow the filters).
 */
export function exportWorkbook(options: {
  config: ResourceConfig;
  actor: Actor;
  columns: FieldDef[];
  lang: Lang;
  timezone: string;
  total: number;
  page: (offset: number, limit: number) => Promise<Item[]>;
  onError: (error: unknown) => void;
}): PassThrough {
  if (options.total > MAX_EXPORT_ROWS) {
    throw badRequest(
      'export_too_large',
      `${options.total} rows match; an export holds at most ${MAX_EXPORT_ROWS}. Narrow the filters first.`,
      undefined,
      { count: options.total, limit: MAX_EXPORT_ROWS },
    );
  }
  const stream = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream,
    useStyles: true,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet(options.lang === 'zh' ? options.config.title : options.config.titleEn);
  sheet.columns = options.columns.map((field) => ({
    header: options.lang === 'zh' ? field.title : field.titleEn,
    key: field.key,
    width: field.kind === 'longtext' ? 40 : field.kind === 'datetime' ? 18 : 14,
  }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  (async () => {
    for (let offset = 0; offset < options.total; offset += BATCH) {
      const items = await options.page(offset, BATCH);
      for (const item of items) {
        sheet.addRow(options.columns.map((f) => cellValue(f, item, options.lang, options.timezone))).commit();
      }
      if (items.length < BATCH) break;
    }
    sheet.commit();
    await workbook.commit();
  })().catch((error) => {
    options.onError(error);
    stream.destroy(error as Error);
  });
  return stream;
}

/** The columns asked for (`columns=name,phone`), else the list's default columns. */
function exportColumns(config: ResourceConfig, asked: string | undefined): FieldDef[] {
  const exportable = config.fields.filter((f) => f.kind !== 'password');
  if (!asked) return exportable.filter((f) => f.list !== false);
  const keys = asked.split(',').filter(Boolean);
  const unknown = keys.filter((key) => !exportable.some((f) => f.key === key));
  if (unknown.length || keys.length === 0) {
    throw badRequest('validation', `columns: unknown ${unknown.join(', ').slice(0, 100)}`, [
      { field: 'columns', message: 'unknown column', code: 'unknown_field' },
    ]);
  }
  return keys.map((key) => exportable.find((f) => f.key === key)!);
}

/** GET /api/<name>/export: the filtered list as .xlsx, audited. */
export function exportRoute(
  app: FastifyInstance,
  db: Db,
  service: ResourceService,
  config: ResourceConfig,
  timezone: string,
): void {
  const { permissions: p } = config;
  const base = `/api/${config.name}`;
  const tags = [config.name];
  app.get(
    `${base}/export`,
    {
      config: { access: { permission: p.export ?? p.list } },
      schema: {
        tags,
        summary: `Export the filtered list as .xlsx`,
        querystring: listQuerySchema(config, {
          columns: Type.Optional(Type.String({ maxLength: 2000 })),
          lang: Type.Optional(Type.Union([Type.Literal('zh'), Type.Literal('en')])),
        }),
        response: errors(400, 401, 403),
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const query = request.query as ListQuery & { columns?: string; lang?: Lang };
      const columns = exportColumns(config, query.columns);
      const order = orderOf(config, query.sort);
      const where = whereOf(config, query, config.scope?.(actor, now()), timezone, actor);
      const total = await service.count(where);
      const stream = exportWorkbook({
        config,
        actor,
        columns,
        lang: query.lang ?? 'zh',
        timezone: timezone,
        total,
        page: (offset, limit) => service.rows(actor, { where, order, offset, limit }),
        onError: (error) => request.log.error({ err: error }, 'export failed midway'),
      });
      const { page: _page, pageSize: _pageSize, columns: _columns, lang: _lang, ...filters } = query;
      await writeAudit(db, {
        actorId: actor.userId,
        action: 'export',
        entity: config.name,
        entityId: null,
        after: { filters, rows: total },
        at: now(),
      });
      const stamp = now().toISOString().slice(0, 10);
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header(
          'content-disposition',
          `attachment; filename="${config.name}-${stamp}.xlsx"; filename*=UTF-8''${encodeURIComponent(`${config.title}-${stamp}.xlsx`)}`,
        )
        .send(stream);
    },
  );
}
