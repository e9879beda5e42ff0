/**
 * Enumerations of docs/spec.md §2, stored as text codes. Each carries its labels so imports, exports and the
 * UI show the school's words; check constraints in the schema are generated from the same lists.
 */
export type Labels = {
  zh: string;
  en: string;
  /** Other words people use for it, which imports accept too (an older label, a variant spelling). */
  aliases?: readonly string[];
};

function enumeration<const T extends Record<string, Labels>>(labels: T) {
  const codes = Object.keys(labels) as (keyof T & string)[];
  return { codes: codes as [keyof T & string, ...(keyof T & string)[]], labels };
}

/** The union of an enumeration's codes: what a column holding it may contain. */
export type CodeOf<E extends { codes: readonly string[] }> = E['codes'][number];

/** Whether a word from outside (a form field, a command line) is one of an enumeration's codes. */
export function isCodeOf<E extends { codes: readonly string[] }>(e: E, value: string): value is CodeOf<E> {
  return e.codes.includes(value);
}

/** The codes as a refusal lists them: "rotation, column or pool". */
export function codesInWords(e: { codes: readonly string[] }): string {
  return e.codes.length > 1 ? `${e.codes.slice(0, -1).join(', ')} or ${e.codes.at(-1)}` : (e.codes[0] ?? '');
}

export const gender = enumeration({
  male: { zh: '男', en: 'Male' },
  female: { zh: '女', en: 'Female' },
});

export const education = enumeration({
  key_university: { zh: '重点大学', en: 'Key university' },
  regular_university: { zh: '普通本科', en: 'Regular university' },
  independent_college: { zh: '独立院校', en: 'Independent college' },
  private_university: { zh: '民办本科', en: 'Private university' },
  junior_college: { zh: '大专', en: 'Junior college' },
  private_junior_college: { zh: '民办专科', en: 'Private junior college' },
  high_school: { zh: '高中', en: 'High school' },
  other: { zh: '其他', en: 'Other' },
});

export const experience = enumeration({
  student: { zh: '在校生', en: 'Student' },
  fresh_graduate: { zh: '应届毕业', en: 'Fresh graduate' },
  under_half_year: { zh: '半年以内', en: 'Under half a year' },
  half_to_one_year: { zh: '半年至一年', en: 'Half a year to a year' },
  one_to_three_years: { zh: '一年至三年', en: 'One to three years' },
  three_to_five_years: { zh: '三年至五年', en: 'Three to five years' },
  over_five_years: { zh: '五年以上', en: 'Over five years' },
});

export const workStatus = enumeration({
  employed: { zh: '在职', en: 'Employed' },
  unemployed: { zh: '无业', en: 'Unemployed' },
});

export const customerSource = enumeration({
  qq_group: { zh: 'qq群', en: 'QQ group' },
  referral: { zh: '内部转介绍', en: 'Referral' },
  website: { zh: '官方网站', en: 'Website' },
  baidu: { zh: '百度推广', en: 'Baidu ads' },
  so360: { zh: '360推广', en: '360 ads' },
  sogou: { zh: '搜狗推广', en: 'Sogou ads' },
  tencent_classroom: { zh: '腾讯课堂', en: 'Tencent Classroom' },
  gdt: { zh: '广点通', en: 'GDT' },
  campus_talk: { zh: '高校宣讲', en: 'Campus talk' },
  agent: { zh: '渠道代理', en: 'Agent' },
  cto51: { zh: '51cto', en: '51CTO' },
  zhihuitui: { zh: '智汇推', en: 'Zhihuitui' },
  union: { zh: '网盟', en: 'Ad network' },
  dsp: { zh: 'DSP', en: 'DSP' },
  seo: { zh: 'SEO', en: 'SEO' },
  // 其他 everywhere in the school's words; sheets written before that still say 其它.
  other: { zh: '其他', en: 'Other', aliases: ['其它'] },
});

export const classType = enumeration({
  fulltime: { zh: '脱产班', en: 'Full-time' },
  online: { zh: '网络班', en: 'Online' },
  weekend: { zh: '周末班', en: 'Weekend' },
});

export const customerStatus = enumeration({
  unregistered: { zh: '未报名', en: 'Not enrolled' },
  enrolled: { zh: '已报名', en: 'Enrolled' },
});

export const distributionStatus = enumeration({
  following: { zh: '正在跟进', en: 'Following' },
  enrolled: { zh: '已报名', en: 'Enrolled' },
  released_no_followup: { zh: '三天未跟进', en: 'Released: no follow-up' },
  released_no_deal: { zh: '十五天未成单', en: 'Released: no deal' },
  reassigned: { zh: '转交', en: 'Reassigned' },
});

/** Why a customer is in the pool (docs/spec.md §8's pool item `releasedReason`). */
export const releasedReason = enumeration({
  no_followup: { zh: '三天未跟进', en: 'No follow-up' },
  no_deal: { zh: '十五天未成单', en: 'No deal' },
  unassigned: { zh: '未分配', en: 'Unassigned' },
});

export const distributionVia = enumeration({
  assigned: { zh: '自动分配', en: 'Assigned' },
  imported: { zh: '导入', en: 'Imported' },
  grabbed: { zh: '抢单', en: 'Grabbed' },
  manual: { zh: '手动指派', en: 'Manual' },
});

export const consultChannel = enumeration({
  phone: { zh: '电话', en: 'Phone' },
  wechat: { zh: '微信', en: 'WeChat' },
  qq: { zh: 'QQ', en: 'QQ' },
  visit: { zh: '到访', en: 'Visit' },
  other: { zh: '其他', en: 'Other' },
});

export const payType = enumeration({
  deposit: { zh: '订金/报名费', en: 'Deposit' },
  tuition: { zh: '学费', en: 'Tuition' },
  transfer: { zh: '转班', en: 'Transfer' },
  withdraw: { zh: '退学', en: 'Withdrawal' },
  refund: { zh: '退款', en: 'Refund' },
});

export const studentClassStatus = enumeration({
  active: { zh: '在读', en: 'Active' },
  withdrawn: { zh: '已退学', en: 'Withdrawn' },
});

export const attendance = enumeration({
  checked: { zh: '已签到', en: 'Checked in' },
  vacate: { zh: '请假', en: 'On leave' },
  late: { zh: '迟到', en: 'Late' },
  noshow: { zh: '缺勤', en: 'Absent' },
  leave_early: { zh: '早退', en: 'Left early' },
});

/** Scores are numbers with fixed meanings; codes below zero are marks, not grades. */
export const scores = [
  { value: 100, label: 'A+' },
  { value: 90, label: 'A' },
  { value: 85, label: 'B+' },
  { value: 80, label: 'B' },
  { value: 70, label: 'B-' },
  { value: 60, label: 'C+' },
  { value: 50, label: 'C' },
  { value: 40, label: 'C-' },
  { value: 0, label: 'D' },
  { value: -1, label: 'N/A' },
  { value: -100, label: 'COPY' },
  { value: -1000, label: 'FAIL' },
] as const;

export const notifyChannel = enumeration({
  sms: { zh: '短信', en: 'SMS' },
  wechat: { zh: '微信', en: 'WeChat' },
  dingtalk: { zh: '钉钉', en: 'DingTalk' },
  email: { zh: '邮件', en: 'E-mail' },
});

/** What a notification tells (docs/spec.md §6); the outbox stores the code. */
export const notificationEvent = enumeration({
  customer_assigned: { zh: '新客户分配', en: 'New customer assigned' },
  grab_won: { zh: '抢单成功', en: 'Grab won' },
  release_reminder: { zh: '即将释放提醒', en: 'Release reminder' },
  customer_released: { zh: '客户已释放', en: 'Customer released' },
  import_finished: { zh: '导入完成', en: 'Import finished' },
  payment_to_confirm: { zh: '待确认缴费', en: 'Payment to confirm' },
  pool_unassigned: { zh: '无人可分配', en: 'Nobody to assign to' },
  absence_streak: { zh: '学员连续缺勤', en: 'Absence streak' },
  release_escalation: { zh: '客户即将释放（主管）', en: 'Release escalation' },
});

export const notificationStatus = enumeration({
  pending: { zh: '待发送', en: 'Pending' },
  sending: { zh: '发送中', en: 'Sending' },
  sent: { zh: '已发送', en: 'Sent' },
  failed: { zh: '发送失败', en: 'Failed' },
  dead: { zh: '放弃', en: 'Dead' },
  skipped: { zh: '已跳过', en: 'Skipped' },
  unknown: { zh: '结果未知', en: 'Outcome unknown' },
});

export const permissionKind = enumeration({
  page: { zh: '页面', en: 'Page' },
  action: { zh: '操作', en: 'Action' },
});

export const jobStatus = enumeration({
  queued: { zh: '排队中', en: 'Queued' },
  running: { zh: '运行中', en: 'Running' },
  done: { zh: '已完成', en: 'Done' },
  failed: { zh: '失败', en: 'Failed' },
});

export const importMode = enumeration({
  preview: { zh: '预览', en: 'Preview' },
  commit: { zh: '导入', en: 'Commit' },
});

/** What an upload turned out to be (not an enumeration of docs/spec.md §2: nobody picks it). */
export const importFormats = ['xlsx', 'csv'] as const;
export type ImportFormat = (typeof importFormats)[number];

export const importAssign = enumeration({
  rotation: { zh: '轮流分配', en: 'Rotation' },
  column: { zh: '按顾问列', en: 'Consultant column' },
  pool: { zh: '放入公共池', en: 'Pool' },
});
