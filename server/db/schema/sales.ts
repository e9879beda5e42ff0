import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  boolean,
  check,
  date,
  index,
  integer,
  numeric,
  pgSequence,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { classes, courses } from './classes.ts';
import { base, oneOf, requiredRef, tstz } from './columns.ts';
import { phoneNormSql, qqNormSql, wechatNormSql } from './contacts.ts';
import {
  type CodeOf,
  classType,
  consultChannel,
  customerSource,
  customerStatus,
  distributionStatus,
  distributionVia,
  education,
  experience,
  gender,
  payType,
  releasedReason,
  workStatus,
} from './enums.ts';
import { users } from './org.ts';

export const customers = pgTable(
  'customers',
  {
    ...base,
    name: text('name').notNull(),
    qq: text('qq'),
    phone: text('phone'),
    wechat: text('wechat'),
    // Uniqueness is on the normalised contact, so "138 1234 5678" and "+8613812345678" collide.
    phoneNorm: text('phone_norm').generatedAlwaysAs(phoneNormSql),
    qqNorm: text('qq_norm').generatedAlwaysAs(qqNormSql),
    wechatNorm: text('wechat_norm').generatedAlwaysAs(wechatNormSql),
    gender: text('gender').$type<CodeOf<typeof gender>>(),
    education: text('education').$type<CodeOf<typeof education>>(),
    graduationSchool: text('graduation_school').notNull().default(''),
    major: text('major').notNull().default(''),
    experience: text('experience').$type<CodeOf<typeof experience>>(),
    workStatus: text('work_status').$type<CodeOf<typeof workStatus>>(),
    company: text('company').notNull().default(''),
    salary: text('salary').notNull().default(''),
    source: text('source').$type<CodeOf<typeof customerSource>>().notNull().default('other'),
    referralFromId: integer('referral_from_id').references((): AnyPgColumn => customers.id, {
      onDelete: 'set null',
    }),
    classType: text('class_type').$type<CodeOf<typeof classType>>(),
    note: text('note').notNull().default(''),
    status: text('status').$type<CodeOf<typeof customerStatus>>().notNull().default('unregistered'),
    consultantId: integer('consultant_id').references(() => users.id, { onDelete: 'set null' }),
    recvAt: tstz('recv_at'),
    lastConsultAt: tstz('last_consult_at'),
    // The earlier of the two release deadlines, kept as a column so the pool is an index range scan.
    releaseAt: tstz('release_at'),
    // Whoever owned it last, once it has no owner: the pool hides a customer from its last owner
    // (docs/spec.md §3) without looking through the distributions of every row.
    previousConsultantId: integer('previous_consultant_id').references(() => users.id, {
      onDelete: 'set null',
    }),
    // Why an unowned customer is in the pool (no_followup, no_deal, unassigned); null while owned,
    // when the reason follows from its clocks.
    releasedReason: text('released_reason').$type<CodeOf<typeof releasedReason>>(),
  },
  (t) => [
    uniqueIndex('customers_phone_norm_key').on(t.phoneNorm),
    uniqueIndex('customers_qq_norm_key').on(t.qqNorm),
    uniqueIndex('customers_wechat_norm_key').on(t.wechatNorm),
    check(
      'customers_contact_check',
      sql`coalesce(btrim(${t.phone}), '') <> '' or coalesce(btrim(${t.qq}), '') <> '' or coalesce(btrim(${t.wechat}), '') <> ''`,
    ),
    check('customers_name_check', sql`btrim(${t.name}) <> ''`),
    check('customers_referral_check', sql`${t.referralFromId} is null or ${t.referralFromId} <> ${t.id}`),
    oneOf('customers_gender_check', t.gender, gender.codes),
    oneOf('customers_education_check', t.education, education.codes),
    oneOf('customers_experience_check', t.experience, experience.codes),
    oneOf('customers_work_status_check', t.workStatus, workStatus.codes),
    oneOf('customers_source_check', t.source, customerSource.codes),
    oneOf('customers_class_type_check', t.classType, classType.codes),
    oneOf('customers_status_check', t.status, customerStatus.codes),
    oneOf('customers_released_reason_check', t.releasedReason, releasedReason.codes),
    index('customers_pool_idx').on(t.releaseAt).where(sql`${t.status} = 'unregistered'`),
    // No index here names the owner (consultant_id) or anything else a release changes: the owned
    // customers are indexed in customer_owners instead. That makes a release a HOT update (the new
    // version of the row stays on its page and no index gets an entry), with room kept on each page
    // for it (fillfactor 90, migration 0015).
    index('customers_created_at_idx').on(t.createdAt),
    index('customers_source_idx').on(t.source),
  ],
);

/**
 * What keyword search reads: a copy of each customer's name and contacts with their search
 * indexes, kept by triggers on `customers` (migration 0014) whichever path writes it. The indexes
 * live here, not on `customers`, because every change of owner (a grab, a follow-up, the sweep's
 * releases) writes a new version of the customer's row, and PostgreSQL then adds that version to
 * every index of the table: the five GIN indexes were most of what the sweep's update of a
 * released customer cost (docs/benchmarks.md, "Keyword search in a table of its own"). The
 * name and contacts change rarely, so this table is written rarely.
 */
export const customerSearch = pgTable(
  'customer_search',
  {
    // No foreign key: its check would lock every inserted customer's row again; the triggers that
    // write this table also remove its rows with the customer's.
    customerId: integer('customer_id').primaryKey(),
    name: text('name').notNull(),
    phone: text('phone'),
    qq: text('qq'),
    wechat: text('wechat'),
    // search_grams(name, phone, qq, wechat) (migration 0004): every lower-cased one- and
    // two-character piece, for keywords too short to have a trigram (a given name such as 王芳).
    // Stored, so that a plan filtering rows by it does not compute it per row.
    grams: text('grams').array().notNull(),
    // search_grams(name) alone (migration 0018): a consultant's short keyword may match another's
    // customer by its name only, never by a piece of a contact they see masked (138****0001), and
    // only an index of the names' own grams answers that without reading every phone containing "13".
    nameGrams: text('name_grams').array().notNull().generatedAlwaysAs(sql`search_grams("name")`),
  },
  (t) => [
    index('customer_search_name_trgm_idx').using('gin', t.name.op('gin_trgm_ops')),
    index('customer_search_phone_trgm_idx').using('gin', t.phone.op('gin_trgm_ops')),
    index('customer_search_qq_trgm_idx').using('gin', t.qq.op('gin_trgm_ops')),
    index('customer_search_wechat_trgm_idx').using('gin', t.wechat.op('gin_trgm_ops')),
    index('customer_search_grams_idx').using('gin', t.grams),
    index('customer_search_name_grams_idx').using('gin', t.nameGrams),
  ],
);

/**
 * The keyword search's postings (issue 24, migration 0023): one row per customer and piece of text
 * a keyword may be, in the customers list's own order (newest first), so that page 1 of a search is
 * a range of one index read from its start, and its count a count of that range, up to the cap.
 * Pieces: every 1-, 2- and 3-character piece of the name; every 3-character piece of the phone, QQ
 * and WeChat id, and their 1- and 2-character pieces that are not only digits (every number holds
 * "1" and "13": a list read in its order finds those at once). Lower-cased, as ILIKE compares.
 * Status and source ride along, so the filters people add to a keyword are checked in the index.
 * Its one index, (gram, created_at desc, customer_id) INCLUDE (status, source, in_name), is written
 * by hand in the migration: Drizzle cannot declare INCLUDE. Triggers on customers keep it.
 */
export const customerGrams = pgTable('customer_grams', {
  gram: text('gram').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  customerId: integer('customer_id').notNull(),
  status: text('status').notNull(),
  source: text('source').notNull(),
  // The piece is in the name: a reader of masked contacts matches others' customers by name only.
  inName: boolean('in_name').notNull(),
});

/**
 * How many postings each piece has, by status and source (migration 0025), so that the count beside
 * a keyword's page is a sum of a few rows, not a count of up to 10,001 index entries. Only
 * customer_grams_drain writes it, folding in customer_gram_count_changes under an advisory lock.
 */
export const customerGramCounts = pgTable('customer_gram_counts', {
  gram: text('gram').notNull(),
  status: text('status').notNull(),
  source: text('source').notNull(),
  postings: integer('postings').notNull(),
});

/**
 * Changes to customer_gram_counts not yet folded in: written in the same transaction as the postings
 * they count (by the drain, and by the triggers that remove postings), appended so that no writer
 * waits on another's counter row.
 */
export const customerGramCountChanges = pgTable('customer_gram_count_changes', {
  gram: text('gram').notNull(),
  status: text('status').notNull(),
  source: text('source').notNull(),
  postings: integer('postings').notNull(),
});

/** Customers whose postings are still to be written (migration 0023: customer_grams_drain). */
export const customerGramsPending = pgTable('customer_grams_pending', {
  customerId: integer('customer_id').primaryKey(),
});

/**
 * The owned customers, indexed by owner and by deadline: a copy of customers' consultant_id, name
 * and (while unregistered) release_at, kept by triggers on `customers` (migration 0015) whichever
 * path writes it. It lives apart because these are exactly what a release changes: were they indexed
 * on `customers`, each release would write an entry into every index of that table (nine), where
 * here it deletes one narrow row. The sweep, the reminders, a consultant's own customers and their
 * counts read it.
 */
export const customerOwners = pgTable(
  'customer_owners',
  {
    // No foreign keys: their checks would lock the customer and the user again on every change of
    // owner; the triggers that write this table also remove its rows with the customer's.
    customerId: integer('customer_id').primaryKey(),
    consultantId: integer('consultant_id').notNull(),
    name: text('name').notNull(),
    // The deadline while the customer is unregistered (null once enrolled): the owner's following
    // customers are those with one.
    releaseAt: tstz('release_at'),
    // The deadline the owner was last reminded of (the sweep's own column, not a copy): a reminder
    // is due once per deadline, so again only when release_at moves.
    remindedFor: tstz('reminded_for'),
  },
  (t) => [
    index('customer_owners_consultant_idx').on(t.consultantId, t.releaseAt, t.customerId),
    index('customer_owners_deadline_idx')
      .on(t.releaseAt, t.customerId)
      .where(sql`${t.releaseAt} is not null`),
  ],
);

/**
 * The reminders the escalation (modules/pool/escalation.ts) is still to look at: one row per owner
 * reminded at once, as their reminder message lists them — the customers in deadline order, and
 * how many of them the escalation has taken. A customer falls due halfway from the reminder to its
 * deadline, so the due ones are always the next in order, and `escalate_at` is when the next one
 * does. A table apart, and a row per owner rather than per customer: an indexed due time on
 * customer_owners made each of a sweep's ~130,000 reminders a non-HOT update, and even a narrow
 * row per customer costs the sweep an insert each (docs/benchmarks.md).
 */
export const releaseEscalations = pgTable(
  'release_escalations',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    consultantId: integer('consultant_id').notNull(),
    remindedAt: tstz('reminded_at').notNull(),
    // Same length, in deadline order: customer customerIds[i] was reminded of releaseAts[i].
    customerIds: integer('customer_ids').array().notNull(),
    releaseAts: tstz('release_ats').array().notNull(),
    // How many, from the start, the escalation has looked at (the row goes once all are).
    taken: integer('taken').notNull().default(0),
    escalateAt: tstz('escalate_at').notNull(),
  },
  (t) => [index('release_escalations_due_idx').on(t.escalateAt)],
);

/** Courses a customer is interested in. */
export const customerCourses = pgTable(
  'customer_courses',
  {
    ...base,
    customerId: requiredRef('customer_id', () => customers.id, 'cascade'),
    courseId: requiredRef('course_id', () => courses.id, 'restrict'),
  },
  (t) => [
    uniqueIndex('customer_courses_customer_course_key').on(t.customerId, t.courseId),
    index('customer_courses_course_idx').on(t.courseId),
  ],
);

/** 客户分布: one row per period of ownership, so performance survives a change of owner. */
export const customerDistributions = pgTable(
  'customer_distributions',
  {
    ...base,
    customerId: requiredRef('customer_id', () => customers.id, 'cascade'),
    consultantId: requiredRef('consultant_id', () => users.id, 'restrict'),
    startedAt: tstz('started_at').notNull(),
    endedAt: tstz('ended_at'),
    status: text('status').$type<CodeOf<typeof distributionStatus>>().notNull().default('following'),
    via: text('via').$type<CodeOf<typeof distributionVia>>().notNull(),
    memo: text('memo').notNull().default(''),
    // When the period ended enrolled, for the month's enrolments. Computed, so no path can forget
    // it; a column of its own so that its index names neither status nor ended_at.
    enrolledAt: tstz('enrolled_at').generatedAlwaysAs(sql`case when status = 'enrolled' then ended_at end`),
  },
  (t) => [
    // No index names status or ended_at, which a release changes, so that ending a period is a HOT
    // update (fillfactor 90, migration 0015). "At most one following period per customer" is kept
    // by a trigger instead of a partial unique index (migration 0015); a customer's open period is
    // found on customer_idx among its few periods.
    index('customer_distributions_customer_idx').on(t.customerId, t.startedAt),
    index('customer_distributions_consultant_idx').on(t.consultantId, t.startedAt),
    // Enrolments of a month (performance), without stepping over the releases that end periods too.
    index('customer_distributions_enrolled_idx')
      .on(t.enrolledAt, t.consultantId)
      .where(sql`${t.enrolledAt} is not null`),
    oneOf('customer_distributions_status_check', t.status, distributionStatus.codes),
    oneOf('customer_distributions_via_check', t.via, distributionVia.codes),
    check(
      'customer_distributions_following_open_check',
      sql`(${t.status} = 'following') = (${t.endedAt} is null)
      or ${t.status} = 'enrolled'`,
    ),
    check('customer_distributions_period_check', sql`${t.endedAt} is null or ${t.endedAt} >= ${t.startedAt}`),
  ],
);

/**
 * How many periods each consultant has had (migration 0027), so that the count beside "my
 * customers" is a row, not an index scan of every period (5,610 for the busiest consultant of a
 * million-customer seed: 1.2 ms of the page's 1.5). Only consultant_period_counts_fold writes it,
 * folding in consultant_period_count_changes under an advisory lock.
 */
export const consultantPeriodCounts = pgTable('consultant_period_counts', {
  consultantId: integer('consultant_id').primaryKey(),
  periods: integer('periods').notNull(),
});

/**
 * Changes to consultant_period_counts not yet folded in, written by triggers on
 * customer_distributions in the transaction that adds or removes the periods; appended, so that two
 * transactions giving periods to the same consultants never wait on each other's counter rows.
 */
export const consultantPeriodCountChanges = pgTable(
  'consultant_period_count_changes',
  {
    consultantId: integer('consultant_id').notNull(),
    periods: integer('periods').notNull(),
  },
  (t) => [index('consultant_period_count_changes_consultant').on(t.consultantId)],
);

/** 跟进记录. */
export const consultRecords = pgTable(
  'consult_records',
  {
    ...base,
    customerId: requiredRef('customer_id', () => customers.id, 'cascade'),
    consultantId: requiredRef('consultant_id', () => users.id, 'restrict'),
    at: tstz('at').notNull(),
    channel: text('channel').$type<CodeOf<typeof consultChannel>>().notNull().default('phone'),
    note: text('note').notNull(),
  },
  (t) => [
    index('consult_records_customer_idx').on(t.customerId, t.at),
    // With the customer, month-end performance counts the customers followed up from the index alone.
    index('consult_records_consultant_idx').on(t.consultantId, t.at, t.customerId),
    oneOf('consult_records_channel_check', t.channel, consultChannel.codes),
    check('consult_records_note_check', sql`btrim(${t.note}) <> ''`),
  ],
);

/** 缴费记录. */
export const paymentRecords = pgTable(
  'payment_records',
  {
    ...base,
    customerId: requiredRef('customer_id', () => customers.id, 'restrict'),
    classId: requiredRef('class_id', () => classes.id, 'restrict'),
    payType: text('pay_type').$type<CodeOf<typeof payType>>().notNull(),
    paidFee: numeric('paid_fee', { precision: 12, scale: 2 }).notNull(),
    quote: numeric('quote', { precision: 12, scale: 2 }),
    turnover: numeric('turnover', { precision: 12, scale: 2 }),
    consultantId: integer('consultant_id').references(() => users.id, { onDelete: 'restrict' }),
    note: text('note').notNull().default(''),
    paidAt: tstz('paid_at').notNull(),
    confirmedBy: integer('confirmed_by').references(() => users.id, { onDelete: 'set null' }),
    confirmedAt: tstz('confirmed_at'),
  },
  (t) => [
    index('payment_records_customer_idx').on(t.customerId, t.paidAt),
    index('payment_records_consultant_idx').on(t.consultantId, t.paidAt),
    index('payment_records_class_idx').on(t.classId),
    oneOf('payment_records_pay_type_check', t.payType, payType.codes),
    check('payment_records_confirm_check', sql`(${t.confirmedBy} is null) = (${t.confirmedAt} is null)`),
  ],
);

/** 销售权重: weighted-rotation settings and state per consultant. */
export const saleRanks = pgTable(
  'sale_ranks',
  {
    ...base,
    consultantId: integer('consultant_id')
      .notNull()
      .unique()
      .references(() => users.id, { onDelete: 'cascade' }),
    weight: integer('weight').notNull().default(1),
    dailyQuota: integer('daily_quota').notNull().default(0),
    active: boolean('active').notNull().default(true),
    // The weighted rotation's state (n·weight − total·count), advanced in the same transaction as the customer it assigns.
    currentWeight: integer('current_weight').notNull().default(0),
    assignedToday: integer('assigned_today').notNull().default(0),
    assignedOn: date('assigned_on'),
  },
  (t) => [
    check('sale_ranks_weight_check', sql`${t.weight} >= 0`),
    check('sale_ranks_daily_quota_check', sql`${t.dailyQuota} >= 0`),
    check('sale_ranks_assigned_today_check', sql`${t.assignedToday} >= 0`),
  ],
);

/** The rules of docs/spec.md §3; exactly one row. */
export const poolSettings = pgTable(
  'pool_settings',
  {
    ...base,
    singleton: boolean('singleton').notNull().default(true).unique(),
    followUpDays: integer('follow_up_days').notNull().default(3),
    dealDays: integer('deal_days').notNull().default(15),
    previousOwnerCooldownDays: integer('previous_owner_cooldown_days'),
    dailyGrabLimit: integer('daily_grab_limit').notNull().default(0),
    maxOwned: integer('max_owned').notNull().default(0),
    remindDaysBefore: integer('remind_days_before').notNull().default(1),
  },
  (t) => [
    check('pool_settings_singleton_check', sql`${t.singleton}`),
    check('pool_settings_follow_up_days_check', sql`${t.followUpDays} > 0`),
    check('pool_settings_deal_days_check', sql`${t.dealDays} > 0`),
    check(
      'pool_settings_cooldown_check',
      sql`${t.previousOwnerCooldownDays} is null or ${t.previousOwnerCooldownDays} >= 0`,
    ),
    check('pool_settings_daily_grab_limit_check', sql`${t.dailyGrabLimit} >= 0`),
    check('pool_settings_max_owned_check', sql`${t.maxOwned} >= 0`),
    check('pool_settings_remind_days_check', sql`${t.remindDaysBefore} >= 0`),
  ],
);

/**
 * Counts the statements that changed what a pool page shows (customers, their courses, names of
 * users, the rules): cached pool pages are good while it stands still. A sequence, not a row, so
 * that writers never wait on each other to bump it (migration 0012 adds the triggers).
 */
export const poolChanges = pgSequence('pool_changes');
