import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { base, oneOf, requiredRef, tstz } from './columns.ts';
import { type CodeOf, notifyChannel, permissionKind } from './enums.ts';

export const departments = pgTable('departments', {
  ...base,
  code: integer('code').notNull().unique(),
  title: text('title').notNull(),
});

export const users = pgTable(
  'users',
  {
    ...base,
    username: text('username').notNull().unique(),
    name: text('name').notNull(),
    passwordHash: text('password_hash').notNull(),
    email: text('email'),
    phone: text('phone'),
    departmentId: integer('department_id').references(() => departments.id, { onDelete: 'set null' }),
    wechatOpenid: text('wechat_openid').unique(),
    dingtalkUserId: text('dingtalk_user_id'),
    active: boolean('active').notNull().default(true),
    notifyChannels: text('notify_channels')
      .array()
      .$type<CodeOf<typeof notifyChannel>[]>()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** Channels per event where the person chose them apart (`{ "grab_won": ["wechat"] }`); else `notify_channels`. */
    notifyPrefs: jsonb('notify_prefs')
      .$type<Partial<Record<string, CodeOf<typeof notifyChannel>[]>>>()
      .notNull()
      .default({}),
  },
  (t) => [
    check(
      'users_notify_channels_check',
      sql`${t.notifyChannels} <@ array[${sql.raw(notifyChannel.codes.map((c) => `'${c}'`).join(', '))}]::text[]`,
    ),
    check('users_username_check', sql`${t.username} ~ '^[A-Za-z0-9_.-]{2,64}$'`),
    index('users_department_idx').on(t.departmentId),
  ],
);

export const roles = pgTable('roles', {
  ...base,
  code: text('code').notNull().unique(),
  title: text('title').notNull(),
  description: text('description').notNull().default(''),
});

export const userRoles = pgTable(
  'user_roles',
  {
    ...base,
    userId: requiredRef('user_id', () => users.id, 'cascade'),
    roleId: requiredRef('role_id', () => roles.id, 'cascade'),
  },
  (t) => [
    uniqueIndex('user_roles_user_role_key').on(t.userId, t.roleId),
    index('user_roles_role_idx').on(t.roleId),
  ],
);

/** Top-level groups of the side menu. */
export const menus = pgTable('menus', {
  ...base,
  // Stable name the code catalogue refers to; title, icon and order are the administrator's.
  key: text('key').notNull().unique(),
  title: text('title').notNull(),
  titleEn: text('title_en').notNull().default(''),
  icon: text('icon').notNull().default(''),
  sort: integer('sort').notNull().default(0),
});

/** Declared in code (auth/catalogue.ts) and synchronised here at start; roles grant codes. */
export const permissions = pgTable(
  'permissions',
  {
    ...base,
    code: text('code').notNull().unique(),
    title: text('title').notNull(),
    titleEn: text('title_en').notNull().default(''),
    menuId: integer('menu_id').references(() => menus.id, { onDelete: 'set null' }),
    kind: text('kind').$type<CodeOf<typeof permissionKind>>().notNull(),
    path: text('path'),
    icon: text('icon'),
    parentCode: text('parent_code').references((): AnyPgColumn => permissions.code, {
      onDelete: 'set null',
      onUpdate: 'cascade',
    }),
    sort: integer('sort').notNull().default(0),
  },
  (t) => [
    oneOf('permissions_kind_check', t.kind, permissionKind.codes),
    check('permissions_page_path_check', sql`${t.kind} <> 'page' or ${t.path} is not null`),
  ],
);

export const rolePermissions = pgTable(
  'role_permissions',
  {
    ...base,
    roleId: requiredRef('role_id', () => roles.id, 'cascade'),
    // Granted by code, so a code that vanishes from the catalogue leaves every role with it.
    permissionCode: text('permission_code')
      .notNull()
      .references(() => permissions.code, { onDelete: 'cascade', onUpdate: 'cascade' }),
  },
  (t) => [uniqueIndex('role_permissions_role_code_key').on(t.roleId, t.permissionCode)],
);

export const sessions = pgTable(
  'sessions',
  {
    ...base,
    // Only the SHA-256 of the cookie's token is stored: a leaked table cannot be replayed.
    tokenHash: text('token_hash').notNull().unique(),
    userId: requiredRef('user_id', () => users.id, 'cascade'),
    csrfToken: text('csrf_token').notNull(),
    expiresAt: tstz('expires_at').notNull(),
    lastSeenAt: tstz('last_seen_at').notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [index('sessions_user_idx').on(t.userId), index('sessions_expires_idx').on(t.expiresAt)],
);

/** Failed sign-ins, kept in the database so the throttle holds across app instances. */
export const loginFailures = pgTable(
  'login_failures',
  {
    ...base,
    username: text('username').notNull(),
    /** The address the failure counts against: an IPv4 address, or an IPv6 /64 (session/address.ts). */
    ip: text('ip'),
    at: tstz('at').notNull(),
  },
  (t) => [
    index('login_failures_username_at_idx').on(t.username, t.at),
    index('login_failures_ip_at_idx').on(t.ip, t.at),
  ],
);

export const auditLog = pgTable(
  'audit_log',
  {
    ...base,
    actorId: integer('actor_id').references(() => users.id, { onDelete: 'set null' }),
    action: text('action').notNull(),
    entity: text('entity').notNull(),
    entityId: integer('entity_id'),
    before: jsonb('before'),
    after: jsonb('after'),
    at: tstz('at').notNull(),
  },
  (t) => [
    index('audit_log_entity_idx').on(t.entity, t.entityId, t.at),
    index('audit_log_actor_idx').on(t.actorId, t.at),
  ],
);

/**
 * Bumped by triggers (migration 0003) whenever user roles or role grants change, in the same
 * transaction. Each request reads it beside its session, so cached permission codes are
 * reused while it stands still and reloaded the moment anything changes, on every instance.
 */
export const authEpoch = pgTable(
  'auth_epoch',
  {
    ...base,
    singleton: boolean('singleton').notNull().default(true).unique(),
    epoch: bigint('epoch', { mode: 'number' }).notNull().default(0),
  },
  (t) => [check('auth_epoch_singleton_check', sql`${t.singleton}`)],
);
