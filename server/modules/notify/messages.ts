import { DEFAULT_TIMEZONE } from '../../config.ts';
import { payType } from '../../db/schema/enums.ts';
import type { Message } from './channels/types.ts';
import type { NotificationEvent } from './outbox.ts';

/*
 * What each event says (docs/spec.md §6): one renderer per event, shared by every channel and the
 * in-app inbox. Chinese first; English for a reader who chose it (the inbox in English). Each
 * message names the customer or student it is about and links to the page where it is acted on.
 *
 * Pure: everything comes from the payload the event wrote into the outbox, as it stood then (a
 * renamed customer keeps the name it was told by). Payloads written before a field existed still
 * render, with the record's number where its name is missing.
 */

export type MessageLanguage = 'zh' | 'en';

export type RenderOptions = {
  /** PUBLIC_URL: links are made from it; null, and a message has no link. */
  publicUrl: string | null;
  language?: MessageLanguage;
  /** The school's time zone, for the times a message names (deadlines). */
  timezone?: string;
};

/** How many customers a batched message lists by name; the rest are counted. */
export const LISTED_AT_MOST = 10;

/** The tabs of "my customers" (web/features/my-customers/tabs.ts), as their `status` filter. */
const FOLLOWING = 'following';
const RELEASED = 'released_no_followup,released_no_deal,reassigned';

/** A payload as read from the outbox: any JSON object, its fields read defensively. */
type Payload = Record<string, unknown>;

type Words = {
  title: string;
  /** Lines of plain text; a line starting with "· " is an item of a list. */
  lines: string[];
  /** The page where it is acted on, from the site's root ("/customers/12"); null: nowhere to go. */
  path: string | null;
  /** Named values for template messages, besides `title` and `link` which every message has. */
  fields: Record<string, string>;
};

type Context = { zh: boolean; lang: MessageLanguage; timezone: string };

const str = (p: Payload, key: string): string | null => {
  const value = p[key];
  return typeof value === 'string' && value.trim() !== '' ? value : null;
};
const int = (p: Payload, key: string): number | null => {
  const value = p[key];
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : null;
};
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * A customer as a message names it: `name` for titles and lists ("张三", or "客户 #12" when the
 * payload has no name), `ref` inside a Chinese sentence ("客户张三", "客户 #12").
 */
type Named = { name: string; ref: string; id: number | null };

function named(c: Context, name: string | null, id: number | null, kind: 'customer' | 'student'): Named {
  const zhKind = kind === 'customer' ? '客户' : '学员';
  if (name) return { name, ref: c.zh ? `${zhKind}${name}` : name, id };
  const fallback = c.zh
    ? id === null
      ? zhKind
      : `${zhKind} #${id}`
    : id === null
      ? `a ${kind}`
      : `${kind} #${id}`;
  return { name: fallback, ref: fallback, id };
}

const customerOf = (c: Context, p: Payload) => named(c, str(p, 'name'), int(p, 'customerId'), 'customer');

const customerPath = (id: number | null) => (id === null ? null : `/customers/${id}`);

/** An instant in the school's time zone: "12月8日 15:00" / "8 Dec 15:00"; null when it is none. */
export function formatInstant(iso: string | null, c: { zh: boolean; timezone: string }): string | null {
  if (!iso) return null;
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return null;
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: c.timezone,
      month: 'numeric',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((part) => [part.type, part.value]),
  ) as Record<string, string>;
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const time = `${parts.hour}:${parts.minute}`;
  return c.zh
    ? `${Number(parts.month)}月${Number(parts.day)}日 ${time}`
    : `${Number(parts.day)} ${months[Number(parts.month) - 1]} ${time}`;
}

/** A customer of the sweep's batched messages, with its time (deadline) and reason. */
type Listed = Named & { at: string | null; reason: string | null };

/**
 * The sweep's message about one or more customers (queries.ts ownerDigest): `customers` lists them,
 * and a message about one also carries that customer's fields at its top level.
 */
function batch(c: Context, p: Payload, timeKey: string, tab: string) {
  const raw = Array.isArray(p.customers) && p.customers.length > 0 ? p.customers : [p];
  const items: Listed[] = raw
    .filter((item): item is Payload => typeof item === 'object' && item !== null && !Array.isArray(item))
    .map((item) => ({
      ...named(c, str(item, 'name'), int(item, 'customerId'), 'customer'),
      at: str(item, timeKey),
      reason: str(item, 'reason'),
    }));
  const count = Math.max(int(p, 'count') ?? items.length, items.length, 1);
  const head = items[0] ?? { ...named(c, null, null, 'customer'), at: null, reason: null };
  const short =
    count === 1 ? head.name : c.zh ? `${head.name}等 ${count} 位客户` : `${head.name} and ${count - 1} more`;
  return {
    items,
    count,
    head,
    short,
    when: formatInstant(head.at, c),
    // One customer: its page; several: the owner's list at the tab that shows them (its status filter).
    path: count === 1 ? customerPath(head.id) : `/my-customers?status=${tab}`,
  };
}

/** One line per customer (at most LISTED_AT_MOST), then how many more. */
function listLines(c: Context, items: Listed[], count: number, describe: (item: Listed) => string) {
  const shown = items.slice(0, LISTED_AT_MOST);
  const lines = shown.map((item) => `· ${item.name}${describe(item)}`);
  const more = count - shown.length;
  if (more > 0) lines.push(c.zh ? `…… 另有 ${more} 位` : `… and ${more} more`);
  return lines;
}

const reasonWords = (c: Context, reason: string | null): string | null => {
  if (reason === 'no_followup') return c.zh ? '超期未跟进' : 'no follow-up in time';
  if (reason === 'no_deal') return c.zh ? '超期未成单' : 'no deal in time';
  return null;
};

const renderers: Record<NotificationEvent, (p: Payload, c: Context) => Words> = {
  // intake.ts and reassign.ts: { customerId, name, by | via, reason }; imports/run.ts: { importId, count }.
  customer_assigned(p, c): Words {
    const importId = int(p, 'importId');
    if (int(p, 'customerId') === null && importId !== null) {
      const n = int(p, 'count') ?? 0;
      return {
        title: c.zh ? `新客户分配：导入的 ${n} 位客户` : `New customers assigned: ${n} from an import`,
        lines: [
          c.zh
            ? `批量导入 #${importId} 分配给你 ${n} 位新客户，请尽快联系。`
            : `Import #${importId} assigned ${plural(n, 'new customer')} to you. Please get in touch soon.`,
        ],
        path: `/my-customers?status=${FOLLOWING}`,
        fields: { name: c.zh ? `${n} 位新客户` : plural(n, 'new customer'), count: String(n) },
      };
    }
    const who = customerOf(c, p);
    const reason = str(p, 'reason');
    return {
      title: c.zh ? `新客户分配：${who.name}` : `New customer assigned: ${who.name}`,
      lines: [
        c.zh
          ? `${who.ref}已分配给你跟进，请尽快联系。`
          : `${who.ref} has been assigned to you. Please get in touch soon.`,
        ...(reason ? [c.zh ? `转交原因：${reason}` : `Reason: ${reason}`] : []),
      ],
      path: customerPath(who.id),
      fields: { name: who.name },
    };
  },

  // pool/queries.ts, the grab: { customerId, distributionId, name }.
  grab_won(p, c): Words {
    const who = customerOf(c, p);
    return {
      title: c.zh ? `抢单成功：${who.name}` : `Grab won: ${who.name}`,
      lines: [
        c.zh
          ? `你从公海抢到了${who.ref}，跟进期限从现在开始计算。`
          : `You took ${who.ref} from the pool; your deadlines start now.`,
      ],
      path: customerPath(who.id),
      fields: { name: who.name },
    };
  },

  // pool/queries.ts remindDue: { count, customers: [{ customerId, name, releaseAt }] }.
  release_reminder(p, c): Words {
    const b = batch(c, p, 'releaseAt', FOLLOWING);
    const lines =
      b.count === 1
        ? [
            c.zh
              ? `${b.head.ref}将于${b.when ? ` ${b.when} ` : '近期'}释放到公海，请在此之前跟进。`
              : `${b.head.ref} goes to the pool ${b.when ? `at ${b.when}` : 'soon'} unless you follow up before then.`,
          ]
        : [
            c.zh
              ? `以下 ${b.count} 位客户即将释放到公海，请在释放前跟进：`
              : `These ${b.count} customers go to the pool soon unless you follow up:`,
            ...listLines(c, b.items, b.count, (item) => {
              const at = formatInstant(item.at, c);
              return at ? (c.zh ? `（${at} 释放）` : ` (at ${at})`) : '';
            }),
          ];
    return {
      title: c.zh ? `即将释放提醒：${b.short}` : `Release reminder: ${b.short}`,
      lines,
      path: b.path,
      fields: { name: b.short, count: String(b.count), ...(b.when ? { time: b.when } : {}) },
    };
  },

  // pool/queries.ts releaseDue: { count, customers: [{ customerId, name, releasedAt, reason }] }.
  customer_released(p, c): Words {
    const b = batch(c, p, 'releasedAt', RELEASED);
    let lines: string[];
    if (b.count === 1) {
      const reason = reasonWords(c, b.head.reason);
      lines = [
        c.zh
          ? `${b.head.ref}${reason ? `因${reason}` : ''}已${b.when ? `于 ${b.when} ` : ''}释放到公海。`
          : `${b.head.ref} went to the pool${b.when ? ` at ${b.when}` : ''}${reason ? ` (${reason})` : ''}.`,
      ];
    } else {
      lines = [
        c.zh ? `以下 ${b.count} 位客户已释放到公海：` : `These ${b.count} customers went to the pool:`,
        ...listLines(c, b.items, b.count, (item) => {
          const reason = reasonWords(c, item.reason);
          return reason ? (c.zh ? `（${reason}）` : ` (${reason})`) : '';
        }),
      ];
    }
    return {
      title: c.zh ? `客户已释放：${b.short}` : `Customer released: ${b.short}`,
      lines,
      path: b.path,
      fields: { name: b.short, count: String(b.count), ...(b.when ? { time: b.when } : {}) },
    };
  },

  // imports/run.ts: { importId, fileName, created, errors }.
  import_finished(p, c): Words {
    const importId = int(p, 'importId');
    const created = int(p, 'created') ?? 0;
    const errors = int(p, 'errors') ?? 0;
    const file = str(p, 'fileName') ?? (importId === null ? null : `#${importId}`);
    const summary = c.zh
      ? `新增 ${created} 位客户${errors > 0 ? `，${errors} 行有误` : ''}`
      : `${plural(created, 'customer')} added${errors > 0 ? `, ${plural(errors, 'row')} refused` : ''}`;
    return {
      title: c.zh ? `导入完成：${file ?? summary}` : `Import finished: ${file ?? summary}`,
      lines: [
        c.zh
          ? `批量导入${file ? ` ${file} ` : ''}已完成：${summary}。`
          : `Import${file ? ` ${file}` : ''} finished: ${summary}.`,
        ...(errors > 0
          ? [c.zh ? '有误的行可在导入结果中查看并下载。' : 'Its result lists the refused rows, to download.']
          : []),
      ],
      path: importId === null ? '/customers/import' : `/customers/import?id=${importId}`,
      fields: { name: file ?? summary, count: String(created), errors: String(errors) },
    };
  },

  // payments/enrol.ts: { paymentId, customerId, name, payType, amount, className, classNameEn }.
  payment_to_confirm(p, c): Words {
    const paymentId = int(p, 'paymentId');
    const hasCustomer = str(p, 'name') !== null || int(p, 'customerId') !== null;
    const who = hasCustomer ? customerOf(c, p) : null;
    const type = str(p, 'payType');
    const typeWords =
      type && Object.hasOwn(payType.labels, type)
        ? payType.labels[type as keyof typeof payType.labels][c.lang]
        : null;
    const amount = str(p, 'amount');
    const className = (c.zh ? null : str(p, 'classNameEn')) ?? str(p, 'className');
    const what = [typeWords, amount ? (c.zh ? `${amount} 元` : `¥${amount}`) : null]
      .filter(Boolean)
      .join(' ');
    const subject =
      who?.name ??
      (c.zh
        ? `缴费记录${paymentId === null ? '' : ` #${paymentId}`}`
        : `payment${paymentId === null ? '' : ` #${paymentId}`}`);
    const detail = [what, className].filter(Boolean).join(c.zh ? '，' : ', ');
    return {
      title: c.zh
        ? `待确认缴费：${subject}${what ? ` ${what}` : ''}`
        : `Payment to confirm: ${subject}${what ? ` ${what}` : ''}`,
      lines: [
        c.zh
          ? `${who ? `${who.ref}的一笔` : '一笔'}缴费${detail ? `（${detail}）` : ''}待你确认。`
          : `A payment${who ? ` by ${who.ref}` : ''}${detail ? ` (${detail})` : ''} is waiting for your confirmation.`,
      ],
      path: paymentId === null ? '/payment-records' : `/payment-records?id=${paymentId}`,
      fields: {
        name: subject,
        ...(typeWords ? { type: typeWords } : {}),
        ...(amount ? { amount } : {}),
        ...(className ? { class: className } : {}),
      },
    };
  },

  // assignment/assign.ts notifyNobodyHadQuota: { count, importId? }.
  pool_unassigned(p, c): Words {
    const count = int(p, 'count') ?? 0;
    const importId = int(p, 'importId');
    return {
      title: c.zh
        ? `无人可分配：${count} 位新客户进入公海`
        : `Nobody to assign to: ${plural(count, 'new customer')} in the pool`,
      lines: [
        c.zh
          ? `${importId === null ? '' : `批量导入 #${importId} 中的 `}${count} 位新客户因课程顾问的当日配额已满而未分配，已进入公海。`
          : `${plural(count, 'new customer')}${importId === null ? '' : ` from import #${importId}`} went to the pool unassigned: no consultant had quota left today.`,
        c.zh
          ? '可调整课程顾问的分配权重与每日配额，或手动分配这些客户。'
          : "Raise the consultants' daily quotas, or assign these customers by hand.",
      ],
      path: '/pool',
      fields: { name: c.zh ? `${count} 位新客户` : plural(count, 'new customer'), count: String(count) },
    };
  },

  // lessons/absence.ts: { studentId, studentName, classId, className, classNameEn, lessons, sinceDate }.
  absence_streak(p, c): Words {
    const who = named(c, str(p, 'studentName'), int(p, 'studentId'), 'student');
    const className = (c.zh ? null : str(p, 'classNameEn')) ?? str(p, 'className');
    const lessons = int(p, 'lessons');
    const since = str(p, 'sinceDate');
    const classId = int(p, 'classId');
    return {
      title: c.zh ? `学员连续缺勤：${who.name}` : `Absence streak: ${who.name}`,
      lines: [
        c.zh
          ? `${who.ref}${className ? `在 ${className} ` : ''}${since ? `自 ${since} 起` : ''}连续缺勤${lessons ? ` ${lessons} 节课` : ''}，请及时了解情况。`
          : `${who.ref} has missed ${lessons ? plural(lessons, 'lesson') : 'several lessons'}${className ? ` of ${className}` : ''} in a row${since ? ` since ${since}` : ''}. Please check in with them.`,
      ],
      path: classId === null ? null : `/teaching/classes/${classId}`,
      fields: {
        name: who.name,
        ...(className ? { class: className } : {}),
        ...(lessons ? { count: String(lessons) } : {}),
      },
    };
  },

  // pool/escalation.ts: { customerId, name, ownerId, ownerName, releaseAt, remindedAt }.
  release_escalation(p, c): Words {
    const who = customerOf(c, p);
    const owner = str(p, 'ownerName');
    const when = formatInstant(str(p, 'releaseAt'), c);
    const reminded = formatInstant(str(p, 'remindedAt'), c);
    return {
      title: c.zh ? `客户即将释放（主管）：${who.name}` : `Release escalation: ${who.name}`,
      lines: c.zh
        ? [
            `${owner ? `${owner}负责的` : ''}${who.ref}将于${when ? ` ${when} ` : '近期'}释放到公海。`,
            `${reminded ? `${reminded} ` : ''}已提醒${owner ? `${owner}` : '负责人'}，至今没有跟进或报名。`,
          ]
        : [
            `${who.ref}${owner ? `, ${owner}'s customer,` : ''} goes to the pool ${when ? `at ${when}` : 'soon'}.`,
            `${owner ?? 'The owner'} was reminded${reminded ? ` at ${reminded}` : ''} and has neither followed up nor enrolled them since.`,
          ],
      path: customerPath(who.id),
      fields: { name: who.name, ...(owner ? { owner } : {}), ...(when ? { time: when } : {}) },
    };
  },
};

function words(event: NotificationEvent, payload: unknown, c: Context): Words {
  const p =
    typeof payload === 'object' && payload !== null && !Array.isArray(payload) ? (payload as Payload) : {};
  const render = Object.hasOwn(renderers, event) ? renderers[event] : undefined;
  if (render) return render(p, c);
  // An event this build does not know (written by a newer one): its code, never nothing.
  return { title: String(event), lines: [], path: null, fields: { name: String(event) } };
}

const contextOf = (options: { language?: MessageLanguage; timezone?: string }): Context => {
  const lang = options.language ?? 'zh';
  return { zh: lang === 'zh', lang, timezone: options.timezone ?? DEFAULT_TIMEZONE };
};

/** Where an event is acted on, from the site's root ("/customers/12"), or null. */
export function messagePath(event: NotificationEvent, payload: unknown): string | null {
  return words(event, payload, contextOf({})).path;
}

/** PUBLIC_URL and a path as one address, with exactly one slash between them. */
function absolute(publicUrl: string | null, path: string | null): string | null {
  if (!publicUrl || !path) return null;
  return `${publicUrl.replace(/\/+$/, '')}${path}`;
}

/** Markdown's special characters in a name or a reason, escaped so they show as typed. */
const escapeMarkdown = (text: string) => text.replace(/([\\`*_[\]<>#|])/g, '\\$1');

/**
 * The message of one event: its title, plain text, Markdown, link and template fields, in Chinese
 * unless `language` is 'en'. Every channel sends this; the inbox shows its title and text.
 */
export function renderMessage(event: NotificationEvent, payload: unknown, options: RenderOptions): Message {
  const c = contextOf(options);
  const said = words(event, payload, c);
  // English sentences may open with a name's fallback ("a customer went…").
  const w = c.zh
    ? said
    : { ...said, lines: said.lines.map((line) => line.charAt(0).toUpperCase() + line.slice(1)) };
  const link = absolute(options.publicUrl, w.path);
  const open = c.zh ? '查看详情' : 'Open';
  const text = [...w.lines, ...(link ? [c.zh ? `${open}：${link}` : `${open}: ${link}`] : [])].join('\n');
  // Paragraphs apart by a blank line (Markdown joins adjacent lines), list items together.
  const body: string[] = [];
  for (const line of w.lines) {
    const item = line.startsWith('· ');
    if (!item && body.length > 0) body.push('');
    body.push(item ? `- ${escapeMarkdown(line.slice(2))}` : escapeMarkdown(line));
  }
  const markdown = [
    `#### ${escapeMarkdown(w.title)}`,
    '',
    ...body,
    ...(link ? ['', `[${open}](${link})`] : []),
  ].join('\n');
  return {
    event,
    title: w.title,
    text,
    markdown,
    link,
    fields: { title: w.title, ...w.fields, ...(link ? { link } : {}) },
  };
}
