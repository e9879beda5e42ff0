import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { base, oneOf, tstz } from './columns.ts';
import { importAssign, importMode, jobStatus, notificationStatus, notifyChannel } from './enums.ts';
import { users } from './org.ts';

/** The outbox: written in the same transaction as its event, delivered by a worker. */
export const notifications = pgTable(
  'notifications',
  {
    ...base,
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    channel: text('channel').notNull(),
    event: text('event').notNull(),
    payload: jsonb('payload').notNull().default({}),
    dedupeKey: text('dedupe_key').notNull().unique(),
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: tstz('next_attempt_at'),
    lastError: text('last_error'),
    sentAt: tstz('sent_at'),
  },
  (t) => [
    oneOf('notifications_channel_check', t.channel, notifyChannel.codes),
    oneOf('notifications_status_check', t.status, notificationStatus.codes),
    index('notifications_due_idx').on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index('notifications_user_idx').on(t.userId, t.createdAt),
  ],
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
    status: text('status').notNull().default('queued'),
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

/** A customer import: its file, choices, progress and the rows it refused. */
export const imports = pgTable(
  'imports',
  {
    ...base,
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    fileName: text('file_name').notNull(),
    filePath: text('file_path'),
    fileSize: integer('file_size').notNull().default(0),
    mode: text('mode').notNull(),
    assign: text('assign').notNull().default('rotation'),
    status: text('status').notNull().default('queued'),
    totalRows: integer('total_rows').notNull().default(0),
    processedRows: integer('processed_rows').notNull().default(0),
    createdCount: integer('created_count').notNull().default(0),
    skippedCount: integer('skipped_count').notNull().default(0),
    errorCount: integer('error_count').notNull().default(0),
    errors: jsonb('errors').notNull().default([]),
    errorReportPath: text('error_report_path'),
    startedAt: tstz('started_at'),
    finishedAt: tstz('finished_at'),
  },
  (t) => [
    oneOf('imports_mode_check', t.mode, importMode.codes),
    oneOf('imports_assign_check', t.assign, importAssign.codes),
    oneOf('imports_status_check', t.status, jobStatus.codes),
    check('imports_progress_check', sql`${t.processedRows} >= 0 and ${t.totalRows} >= 0`),
    index('imports_user_idx').on(t.userId, t.createdAt),
  ],
);
