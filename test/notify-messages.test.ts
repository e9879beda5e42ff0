import { describe, expect, it } from 'vitest';
import { notificationEvent } from '../server/db/schema/enums.ts';
import { LISTED_AT_MOST, messagePath, renderMessage } from '../server/modules/notify/messages.ts';
import type { NotificationEvent } from '../server/modules/notify/outbox.ts';

/**
 * Every event renders a message naming whom it is about and linking to where it is acted on, in
 * Chinese and in English, from the payloads the code that queues each event writes (their shapes
 * are copied here from those places: intake, reassign, import, the grab, the sweep, payments, the
 * rotation, absences, the escalation).
 */
const PUBLIC_URL = 'https://crm.example.edu/';
const render = (event: NotificationEvent, payload: unknown, language: 'zh' | 'en' = 'zh') =>
  renderMessage(event, payload, { publicUrl: PUBLIC_URL, language, timezone: 'Asia/Shanghai' });

// 2026-12-08 15:00 in Shanghai.
const DEADLINE = '2026-12-08T07:00:00.000Z';

/** One payload per event, as its producer writes it, and what its message must name and link to. */
const samples: Record<NotificationEvent, { payload: unknown; names: string; path: string }> = {
  customer_assigned: {
    payload: { customerId: 12, name: '张三', by: 3 },
    names: '张三',
    path: '/customers/12',
  },
  grab_won: {
    payload: { customerId: 13, distributionId: 40, name: '李四' },
    names: '李四',
    path: '/customers/13',
  },
  release_reminder: {
    payload: {
      customerId: 14,
      name: '王五',
      releaseAt: DEADLINE,
      count: 1,
      customers: [{ customerId: 14, name: '王五', releaseAt: DEADLINE }],
    },
    names: '王五',
    path: '/customers/14',
  },
  customer_released: {
    payload: {
      customerId: 15,
      name: '赵六',
      reason: 'no_followup',
      releasedAt: DEADLINE,
      count: 1,
      customers: [{ customerId: 15, name: '赵六', reason: 'no_followup', releasedAt: DEADLINE }],
    },
    names: '赵六',
    path: '/customers/15',
  },
  import_finished: {
    payload: { importId: 7, fileName: '十二月名单.xlsx', created: 120, errors: 3 },
    names: '十二月名单.xlsx',
    path: '/customers/import?id=7',
  },
  payment_to_confirm: {
    payload: {
      paymentId: 88,
      customerId: 16,
      name: '孙七',
      payType: 'tuition',
      amount: '12800.00',
      className: 'Python全栈 (9期)',
      classNameEn: 'Python全栈 (term 9)',
    },
    names: '孙七',
    path: '/payment-records?id=88',
  },
  pool_unassigned: { payload: { count: 5, importId: 7 }, names: '5', path: '/pool' },
  absence_streak: {
    payload: {
      studentId: 30,
      studentName: '周八',
      classId: 9,
      className: 'Python全栈 (9期)',
      classNameEn: 'Python全栈 (term 9)',
      lessons: 3,
      sinceDate: '2026-12-01',
    },
    names: '周八',
    path: '/teaching/classes/9',
  },
  release_escalation: {
    payload: {
      customerId: 17,
      name: '吴九',
      ownerId: 4,
      ownerName: '三江',
      releaseAt: DEADLINE,
      remindedAt: '2026-12-07T16:05:00.000Z',
    },
    names: '吴九',
    path: '/customers/17',
  },
};

describe('the message of every event', () => {
  it('has a sample here for each event there is', () => {
    expect(Object.keys(samples).sort()).toEqual([...notificationEvent.codes].sort());
  });

  for (const event of notificationEvent.codes) {
    it(`${event}: names whom it is about and links to where it is acted on, in both languages`, () => {
      const { payload, names, path } = samples[event];
      for (const language of ['zh', 'en'] as const) {
        const message = render(event, payload, language);
        expect(message.event).toBe(event);
        expect(message.title).toContain(names);
        expect(message.text).toContain(names);
        expect(message.markdown).toContain(names.replace(/([_*[\]])/g, '\\$1'));
        expect(message.link).toBe(`https://crm.example.edu${path}`);
        expect(message.text).toContain(message.link);
        expect(message.markdown).toContain(`](${message.link})`);
        expect(message.fields.title).toBe(message.title);
        expect(message.fields.link).toBe(message.link);
        expect(message.fields.name).toContain(names);
        for (const value of Object.values(message.fields)) expect(typeof value).toBe('string');
      }
      expect(messagePath(event, payload)).toBe(path);
    });
  }

  it('speaks Chinese by default and English when asked', () => {
    const payload = samples.customer_assigned.payload;
    const chinese = renderMessage('customer_assigned', payload, { publicUrl: null });
    expect(chinese.title).toBe('新客户分配：张三');
    expect(chinese.text).toBe('客户张三已分配给你跟进，请尽快联系。');
    expect(render('customer_assigned', payload, 'en').title).toBe('New customer assigned: 张三');
    expect(render('release_escalation', samples.release_escalation.payload).title).toBe(
      '客户即将释放（主管）：吴九',
    );
    expect(render('release_escalation', samples.release_escalation.payload, 'en').title).toBe(
      'Release escalation: 吴九',
    );
  });

  it('names deadlines in the school’s time zone', () => {
    const reminder = render('release_reminder', samples.release_reminder.payload);
    expect(reminder.text).toContain('12月8日 15:00');
    expect(reminder.fields.time).toBe('12月8日 15:00');
    expect(render('release_reminder', samples.release_reminder.payload, 'en').text).toContain('8 Dec 15:00');
    const escalation = render('release_escalation', samples.release_escalation.payload);
    expect(escalation.text).toContain('三江');
    expect(escalation.text).toContain('12月8日 15:00');
    expect(escalation.text).toContain('12月8日 00:05');
  });

  it('says why a customer was released, and a payment’s kind, amount and class', () => {
    expect(render('customer_released', samples.customer_released.payload).text).toContain('超期未跟进');
    const payment = render('payment_to_confirm', samples.payment_to_confirm.payload);
    expect(payment.text).toContain('学费');
    expect(payment.text).toContain('12800.00');
    expect(payment.text).toContain('Python全栈 (9期)');
    expect(render('payment_to_confirm', samples.payment_to_confirm.payload, 'en').text).toContain(
      'Python全栈 (term 9)',
    );
    expect(render('absence_streak', samples.absence_streak.payload).text).toContain('3 节课');
  });

  it("lists the sweep's batched customers, with how many more past the first ten", () => {
    const customers = Array.from({ length: 12 }, (_, i) => ({
      customerId: 100 + i,
      name: `客户${i + 1}`,
      releaseAt: DEADLINE,
    }));
    const reminder = render('release_reminder', { count: 12, customers });
    expect(reminder.title).toBe('即将释放提醒：客户1等 12 位客户');
    for (const c of customers.slice(0, LISTED_AT_MOST)) expect(reminder.text).toContain(`· ${c.name}（`);
    expect(reminder.text).not.toContain('客户11');
    expect(reminder.text).toContain('另有 2 位');
    expect(reminder.link).toBe('https://crm.example.edu/my-customers?status=following');
    expect(reminder.markdown).toContain('- 客户1');

    const released = render(
      'customer_released',
      {
        count: 2,
        customers: [
          { customerId: 1, name: '甲', reason: 'no_followup', releasedAt: DEADLINE },
          { customerId: 2, name: '乙', reason: 'no_deal', releasedAt: DEADLINE },
        ],
      },
      'en',
    );
    expect(released.title).toBe('Customer released: 甲 and 1 more');
    expect(released.text).toContain('· 甲 (no follow-up in time)');
    expect(released.text).toContain('· 乙 (no deal in time)');
  });

  it('an import’s customers go to “my customers”', () => {
    const message = render('customer_assigned', { importId: 7, count: 12 });
    expect(message.title).toContain('12');
    expect(message.link).toBe('https://crm.example.edu/my-customers?status=following');
  });

  it('renders payloads written before names were, and anything odd, without failing', () => {
    expect(render('grab_won', { customerId: 13, distributionId: 40 }).title).toBe('抢单成功：客户 #13');
    expect(render('payment_to_confirm', { paymentId: 88 }).title).toBe('待确认缴费：缴费记录 #88');
    expect(render('payment_to_confirm', { paymentId: 88 }).link).toBe(
      'https://crm.example.edu/payment-records?id=88',
    );
    for (const event of notificationEvent.codes) {
      for (const odd of [null, {}, [], 'text', { customers: 'no', count: 'x', name: 42 }]) {
        const message = render(event, odd);
        expect(message.title.length).toBeGreaterThan(0);
        expect(message.text).not.toContain('undefined');
        expect(message.text).not.toContain('null');
        expect(message.title).not.toContain('undefined');
      }
    }
  });

  it('has no link without PUBLIC_URL, and escapes Markdown in names', () => {
    const message = renderMessage(
      'grab_won',
      { customerId: 1, name: '[点我](http://evil)' },
      { publicUrl: null },
    );
    expect(message.link).toBeNull();
    expect(message.fields.link).toBeUndefined();
    expect(message.text).not.toContain('查看详情');
    expect(message.markdown).toContain('\\[点我\\](http://evil)');
  });
});
