import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  check,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  text,
} from 'drizzle-orm/pg-core';
import { base, oneOf, requiredRef, tstz } from './columns.ts';
import {
  type CodeOf,
  type ImportFormat,
  importAssign,
  importFormats,
  importMode,
  jobStatus,
  type notificationEvent,
  notificationStatus,
  notifyChannel,
} from './enums.ts';
import { users } from './org.ts';

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

/** The outbox: written in the same transaction as its event, delivered by a worker. */
export const notifications = pgTable(
  'notifications',
  {
    ...base,
    userId: requiredRef('user_id', () => users.id, 'cascade'),
    channel: text('channel').$type<CodeOf<typeof notifyChannel>>().notNull(),
    event: text('event').$type<CodeOf<typeof notificationEvent>>().notNull(),
    payload: jsonb('payload').notNull().default({}),
    dedupeKey: text('dedupe_key').notNull().unique(),
    status: text('status').$type<CodeOf<typeof notificationStatus>>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: tstz('next_attempt_at'),
    lastError: text('last_error'),
    sentAt: tstz('sent_at'),
    /** The instance delivering it (status `sending`) and until when its claim holds. */
    claimedBy: text('claimed_by'),
    claimedUntil: tstz('claimed_until'),
    /** What the provider called the message it accepted, where it says. */
    providerMessageId: text('provider_message_id'),
  },
  (t) => [
    oneOf('notifications_channel_check', t.channel, notifyChannel.codes),
    oneOf('notifications_status_check', t.status, notificationStatus.codes),
    // What the worker claims, in the order it claims it: an index scan skips the entries of rows
    // already taken (marked dead as it passes), where a bitmap over the status index — failed rows
    // were outside the old pending-only index — read every one of them again, ~4 ms a claim in the
    // pool benchmark.
    index('notifications_due_idx').on(t.nextAttemptAt, t.id).where(sql`${t.status} in ('pending', 'failed')`),
    index('notifications_claimed_idx').on(t.claimedUntil).where(sql`${t.status} = 'sending'`),
    index('notifications_user_idx').on(t.userId, t.createdAt),
    index('notifications_status_idx').on(t.status, t.createdAt),
  ],
);

/**
 * The in-app inbox (站内消息): one item per event a person is told of, whatever channels they
 * chose, written beside the outbox rows. `event_key` is the outbox's dedupe key without its channel.
 */
export const inboxItems = pgTable(
  'inbox_items',
  {
    ...base,
    userId: requiredRef('user_id', () => users.id, 'cascade'),
    event: text('event').$type<CodeOf<typeof notificationEvent>>().notNull(),
    payload: jsonb('payload').notNull().default({}),
    eventKey: text('event_key').notNull().unique(),
    readAt: tstz('read_at'),
  },
  (t) => [
    index('inbox_items_user_idx').on(t.userId, t.createdAt),
    index('inbox_items_unread_idx').on(t.userId).where(sql`${t.readAt} is null`),
  ],
);

/** Access tokens of providers (WeChat's), shared by every instance until they expire. */
export const providerTokens = pgTable('provider_tokens', {
  ...base,
  provider: text('provider').notNull().unique(),
  token: text('token').notNull(),
  expiresAt: tstz('expires_at').notNull(),
});

/** The single-use states of WeChat binding QR codes: a person, ten minutes, used once. */
export const wechatBindStates = pgTable(
  'wechat_bind_states',
  {
    ...base,
    nonce: text('nonce').notNull().unique(),
    userId: requiredRef('user_id', () => users.id, 'cascade'),
    expiresAt: tstz('expires_at').notNull(),
    usedAt: tstz('used_at'),
  },
  (t) => [index('wechat_bind_states_user_idx').on(t.userId)],
);

/**
 * Durable background jobs (outbox + advisory lock: works on PGlite's single connection and on a
 * PostgreSQL cluster alike). `run_key` makes a scheduled run happen once per cluster.
 */
export const jobs = pgTable(
  'jobs',
  {
    ...base,
    kind: text('kind').notNull(),
    runKey: text('run_key').unique(),
    payload: jsonb('payload').notNull().default({}),
    status: text('status').$type<CodeOf<typeof jobStatus>>().notNull().default('queued'),
    runAt: tstz('run_at').notNull(),
    attempts: integer('attempts').notNull().default(0),
    lockedBy: text('locked_by'),
    lockedUntil: tstz('locked_until'),
    startedAt: tstz('started_at'),
    finishedAt: tstz('finished_at'),
    result: jsonb('result'),
    lastError: text('last_error'),
  },
  (t) => [
    oneOf('jobs_status_check', t.status, jobStatus.codes),
    index('jobs_due_idx').on(t.runAt).where(sql`${t.status} in ('queued', 'running')`),
    index('jobs_kind_idx').on(t.kind, t.createdAt),
  ],
);

/** A customer import: its choices, progress and counts; it is also the queue its workers claim. */
export const imports = pgTable(
  'imports',
  {
    ...base,
    userId: requiredRef('user_id', () => users.id, 'cascade'),
    fileName: text('file_name').notNull(),
    fileSize: integer('file_size').notNull().default(0),
    // xlsx or csv, decided when the upload was checked.
    format: text('format').$type<ImportFormat>().notNull().default('xlsx'),
    mode: text('mode').$type<CodeOf<typeof importMode>>().notNull(),
    assign: text('assign').$type<CodeOf<typeof importAssign>>().notNull().default('rotation'),
    // The preview a commit was made from, if any.
    previewId: integer('preview_id').references((): AnyPgColumn => imports.id, { onDelete: 'set null' }),
    status: text('status').$type<CodeOf<typeof jobStatus>>().notNull().default('queued'),
    totalRows: integer('total_rows').notNull().default(0),
    processedRows: integer('processed_rows').notNull().default(0),
    validCount: integer('valid_count').notNull().default(0),
    createdCount: integer('created_count').notNull().default(0),
    skippedCount: integer('skipped_count').notNull().default(0),
    errorCount: integer('error_count').notNull().default(0),
    // The file's header row as it was (the error report repeats it), what of it was understood
    // ([{ column, field }]), and the titles that matched no field.
    header: jsonb('header').notNull().default([]),
    columns: jsonb('columns').notNull().default([]),
    ignoredColumns: jsonb('ignored_columns').notNull().default([]),
    // Why it failed: the Chinese sentence (all imports before codes have), and the code with the
    // values it names, which the result page words in the reader's language (imports/words.ts).
    failure: text('failure'),
    failureCode: text('failure_code'),
    failureParams: jsonb('failure_params'),
    // The instance running it and until when its claim holds; renewed after every batch.
    lockedBy: text('locked_by'),
    lockedUntil: tstz('locked_until'),
    startedAt: tstz('started_at'),
    finishedAt: tstz('finished_at'),
  },
  (t) => [
    oneOf('imports_mode_check', t.mode, importMode.codes),
    oneOf('imports_assign_check', t.assign, importAssign.codes),
    oneOf('imports_status_check', t.status, jobStatus.codes),
    oneOf('imports_format_check', t.format, importFormats),
    check('imports_progress_check', sql`${t.processedRows} >= 0 and ${t.totalRows} >= 0`),
    index('imports_user_idx').on(t.userId, t.createdAt),
    index('imports_queue_idx').on(t.id).where(sql`${t.status} in ('queued', 'running')`),
  ],
);

/**
 * The uploaded file itself, in the database rather than on one instance's disk, so whichever
 * instance claims the import can read it.
 */
export const importFiles = pgTable('import_files', {
  importId: integer('import_id')
    .primaryKey()
    .references(() => imports.id, { onDelete: 'cascade' }),
  data: bytea('data').notNull(),
});

/** A row an import refused: where, why, and the row's cells, for the downloadable error report. */
export const importErrors = pgTable(
  'import_errors',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    importId: requiredRef('import_id', () => imports.id, 'cascade'),
    rowNum: integer('row_num').notNull(),
    column: text('column'),
    // The Chinese sentence (the only thing rows stored before codes have), then the code and values.
    message: text('message').notNull(),
    code: text('code'),
    params: jsonb('params'),
    cells: jsonb('cells').notNull().default([]),
  },
  (t) => [index('import_errors_import_idx').on(t.importId, t.rowNum)],
);
