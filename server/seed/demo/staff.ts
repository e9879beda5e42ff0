import { type PermissionCode, permissionCodes } from '../../auth/catalogue.ts';

// ---------------------------------------------------------------------------------------------------
// Roles and their grants

export type DemoRoleCode = 'admin' | 'sales_manager' | 'consultant' | 'teacher' | 'tutor' | 'finance';

export const demoRoles: Record<DemoRoleCode, { title: string; description: string }> = {
  admin: { title: '超级管理员', description: '学校的系统管理员：全部功能，包括角色、权限、菜单与设置' },
  sales_manager: {
    title: '销售主管',
    description: '带领课程顾问：全部客户、分配与转交、权重与配额、公共池规则、报表',
  },
  consultant: {
    title: '课程顾问',
    description: '销售课程：自己的客户、公共池与抢单、跟进、自己客户的缴费、自己的业绩',
  },
  teacher: { title: '讲师', description: '所授班级的上课记录、考勤、成绩与图表' },
  tutor: { title: '班主任', description: '所带班级的学员、考勤、成绩与图表' },
  finance: { title: '财务', description: '缴费记录：查看、确认、导出' },
};

/** What each demo role may do (docs/spec.md §1); the compiler checks every code against the catalogue. */
export const demoRoleGrants = {
  admin: permissionCodes,
  sales_manager: [
    'customer.list',
    'customer.create',
    'customer.update',
    'customer.delete',
    'customer.export',
    'customer.assign',
    'customer.view_all',
    'customer.import',
    'pool.list',
    'customer.grab',
    'my_customer.list',
    'consult_record.list',
    'consult_record.create',
    // Not payment_record.confirm: finance confirms what sales signed.
    'payment_record.list',
    'payment_record.create',
    'payment_record.export',
    'distribution.list',
    'sale_rank.list',
    'sale_rank.update',
    'report.performance',
    'report.performance_all',
    'settings.pool',
    'settings.pool_update',
    'admin.sweep',
    'class.list',
    'class.view_all',
    'course.list',
    'school.list',
  ],
  consultant: [
    'customer.list',
    'customer.create',
    'customer.update',
    'pool.list',
    'customer.grab',
    'my_customer.list',
    'consult_record.list',
    'consult_record.create',
    'payment_record.list',
    'payment_record.create',
    'report.performance',
  ],
  teacher: [
    'class.list',
    'student.list',
    'course_record.list',
    'course_record.create',
    'course_record.update',
    'study_record.list',
    'study_record.update',
  ],
  tutor: ['class.list', 'student.list', 'course_record.list', 'study_record.list', 'study_record.update'],
  finance: ['payment_record.list', 'payment_record.confirm', 'payment_record.export'],
} as const satisfies Record<DemoRoleCode, readonly PermissionCode[]>;

// ---------------------------------------------------------------------------------------------------
// Staff

export const demoDepartments = [
  { code: 100, title: '管理部' },
  { code: 200, title: '销售部' },
  { code: 300, title: '教学部' },
  { code: 400, title: '财务部' },
] as const;

export type NotifyChannel = 'sms' | 'wechat' | 'dingtalk' | 'email';

export const demoUsers = [
  {
    username: 'admin',
    name: '管理员',
    role: 'admin',
    department: 100,
    phone: '13910000001',
    notify: ['email'],
  },
  {
    username: 'manager',
    name: '王经理',
    role: 'sales_manager',
    department: 200,
    phone: '13910000002',
    notify: ['wechat', 'dingtalk', 'email'],
  },
  {
    username: 'sanjiang',
    name: '三江',
    role: 'consultant',
    department: 200,
    phone: '13910000003',
    // The three consultants choose every channel (issue 23): with no provider configured each row
    // is skipped as "not configured", and the inbox still tells every event.
    notify: ['sms', 'wechat', 'dingtalk', 'email'],
  },
  {
    username: 'baoyu',
    name: '暴雨',
    role: 'consultant',
    department: 200,
    phone: '13910000004',
    notify: ['sms', 'wechat', 'dingtalk', 'email'],
  },
  {
    username: 'dasha',
    name: '大傻',
    role: 'consultant',
    department: 200,
    phone: '13910000005',
    notify: ['sms', 'wechat', 'dingtalk', 'email'],
  },
  {
    username: 'teacher',
    name: '李老师',
    role: 'teacher',
    department: 300,
    phone: '13910000006',
    notify: ['dingtalk', 'email'],
  },
  {
    username: 'tutor',
    name: '赵班主任',
    role: 'tutor',
    department: 300,
    phone: '13910000007',
    notify: ['wechat', 'dingtalk'],
  },
  {
    username: 'finance',
    name: '钱会计',
    role: 'finance',
    department: 400,
    phone: '13910000008',
    notify: ['email', 'dingtalk'],
  },
] as const satisfies readonly {
  username: string;
  name: string;
  role: DemoRoleCode;
  department: number;
  phone: string;
  notify: readonly NotifyChannel[];
}[];

export type Username = (typeof demoUsers)[number]['username'];
export type Consultant = 'sanjiang' | 'baoyu' | 'dasha';

/** Weights and daily quotas of the rotation; new customers are spread in the same proportions. */
export const demoSaleRanks = [
  { consultant: 'sanjiang', weight: 3, dailyQuota: 20 },
  { consultant: 'baoyu', weight: 2, dailyQuota: 15 },
  { consultant: 'dasha', weight: 1, dailyQuota: 10 },
] as const satisfies readonly { consultant: Consultant; weight: number; dailyQuota: number }[];
