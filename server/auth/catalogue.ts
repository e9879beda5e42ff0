/**
 * The permission catalogue, declared in code and synchronised into `menus` and `permissions` at
 * start (sync.ts). Routes name these codes; roles grant them. Pages appear in the side menu.
 */
export type MenuKey = 'sales' | 'teaching' | 'system';

export const menuCatalogue = [
  { key: 'sales', title: '销售管理', titleEn: 'Sales', icon: 'DollarOutlined', sort: 10 },
  { key: 'teaching', title: '教学管理', titleEn: 'Teaching', icon: 'ReadOutlined', sort: 20 },
  { key: 'system', title: '系统管理', titleEn: 'System', icon: 'SettingOutlined', sort: 30 },
] as const satisfies readonly { key: MenuKey; title: string; titleEn: string; icon: string; sort: number }[];

type PageEntry = { kind: 'page'; title: string; titleEn: string; menu: MenuKey; path: string; icon?: string };
type ActionEntry = { kind: 'action'; title: string; titleEn: string; parent: string };

const page = (menu: MenuKey, path: string, title: string, titleEn: string, icon?: string): PageEntry => ({
  kind: 'page',
  menu,
  path,
  title,
  titleEn,
  icon,
});
const action = (parent: string, title: string, titleEn: string): ActionEntry => ({
  kind: 'action',
  parent,
  title,
  titleEn,
});

/** Order here is the order within each menu group. */
export const permissionCatalogue = {
  // Sales
  'customer.list': page('sales', '/customers', '客户管理', 'Customers', 'TeamOutlined'),
  'customer.create': action('customer.list', '录入客户', 'Add customers'),
  'customer.update': action('customer.list', '编辑客户', 'Edit customers'),
  'customer.delete': action('customer.list', '删除客户', 'Delete customers'),
  'customer.export': action('customer.list', '导出客户', 'Export customers'),
  'customer.assign': action('customer.list', '分配/转交客户', 'Assign and reassign customers'),
  'customer.view_all': action('customer.list', '查看全部客户', 'See every customer'),
  'pool.list': page('sales', '/pool', '公共客户池', 'Public pool', 'InboxOutlined'),
  'customer.grab': action('pool.list', '抢单', 'Grab customers'),
  'my_customer.list': page('sales', '/my-customers', '我的客户', 'My customers', 'UserOutlined'),
  'customer.import': page('sales', '/customers/import', '批量导入', 'Bulk import', 'UploadOutlined'),
  'consult_record.list': page('sales', '/consult-records', '跟进记录', 'Follow-ups', 'MessageOutlined'),
  'consult_record.create': action('consult_record.list', '添加跟进', 'Add follow-ups'),
  'payment_record.list': page('sales', '/payment-records', '缴费记录', 'Payments', 'PayCircleOutlined'),
  'payment_record.create': action('payment_record.list', '登记缴费', 'Record payments'),
  'payment_record.confirm': action('payment_record.list', '确认缴费', 'Confirm payments'),
  'payment_record.export': action('payment_record.list', '导出缴费', 'Export payments'),
  'distribution.list': page('sales', '/distributions', '客户分布', 'Ownership history', 'HistoryOutlined'),
  'sale_rank.list': page('sales', '/sale-ranks', '销售权重', 'Sales weights', 'PercentageOutlined'),
  'sale_rank.update': action('sale_rank.list', '设置权重与配额', 'Set weights and quotas'),
  'report.performance': page('sales', '/reports/performance', '业绩报表', 'Performance', 'BarChartOutlined'),
  'report.performance_all': action('report.performance', '查看全员业绩', "See everyone's performance"),
  // Teaching
  'class.list': page('teaching', '/classes', '班级管理', 'Classes', 'ApartmentOutlined'),
  'class.create': action('class.list', '新建班级', 'Create classes'),
  'class.update': action('class.list', '编辑班级', 'Edit classes'),
  'class.delete': action('class.list', '删除班级', 'Delete classes'),
  'class.view_all': action('class.list', '查看全部班级', 'See every class'),
  'student.list': page('teaching', '/students', '学员管理', 'Students', 'IdcardOutlined'),
  'student.update': action('student.list', '编辑学员', 'Edit students'),
  'course_record.list': page('teaching', '/course-records', '上课记录', 'Lessons', 'CalendarOutlined'),
  'course_record.create': action('course_record.list', '新建上课记录', 'Create lessons'),
  'course_record.update': action('course_record.list', '编辑上课记录', 'Edit lessons'),
  'course_record.delete': action('course_record.list', '删除上课记录', 'Delete lessons'),
  'study_record.list': page('teaching', '/study-records', '学习记录', 'Study records', 'SolutionOutlined'),
  'study_record.update': action('study_record.list', '考勤与录成绩', 'Attendance and scores'),
  'school.list': page('teaching', '/schools', '校区管理', 'Campuses', 'BankOutlined'),
  'school.update': action('school.list', '维护校区', 'Manage campuses'),
  'course.list': page('teaching', '/courses', '课程管理', 'Courses', 'BookOutlined'),
  'course.update': action('course.list', '维护课程', 'Manage courses'),
  // System
  'user.list': page('system', '/system/users', '用户管理', 'Users', 'UserSwitchOutlined'),
  'user.create': action('user.list', '新建用户', 'Create users'),
  'user.update': action('user.list', '编辑用户', 'Edit users'),
  'user.delete': action('user.list', '删除用户', 'Delete users'),
  'role.list': page('system', '/system/roles', '角色管理', 'Roles', 'SafetyOutlined'),
  'role.create': action('role.list', '新建角色', 'Create roles'),
  'role.update': action('role.list', '编辑角色与授权', 'Edit roles and grants'),
  'role.delete': action('role.list', '删除角色', 'Delete roles'),
  'menu.list': page('system', '/system/menus', '菜单管理', 'Menus', 'MenuOutlined'),
  'menu.update': action('menu.list', '编辑菜单', 'Edit menus'),
  'permission.list': page('system', '/system/permissions', '权限管理', 'Permissions', 'KeyOutlined'),
  'permission.update': action('permission.list', '编辑权限', 'Edit permissions'),
  'department.list': page('system', '/system/departments', '部门管理', 'Departments', 'ClusterOutlined'),
  'department.update': action('department.list', '维护部门', 'Manage departments'),
  'notification.list': page('system', '/system/notifications', '消息通知', 'Notifications', 'BellOutlined'),
  'notification.retry': action('notification.list', '重发通知', 'Retry notifications'),
  'audit_log.list': page('system', '/system/audit-log', '操作日志', 'Audit log', 'AuditOutlined'),
  'settings.pool': page('system', '/settings/pool', '公共池规则', 'Pool rules', 'ControlOutlined'),
  'settings.pool_update': action('settings.pool', '修改公共池规则', 'Change pool rules'),
  'admin.sweep': action('settings.pool', '立即执行释放', 'Run the release sweep now'),
} as const satisfies Record<string, PageEntry | ActionEntry>;

export type PermissionCode = keyof typeof permissionCatalogue;

export const permissionCodes = Object.keys(permissionCatalogue) as PermissionCode[];

export function isPermissionCode(code: string): code is PermissionCode {
  return Object.hasOwn(permissionCatalogue, code);
}

/** The role whose holders may do everything: newly declared codes are granted to it on sync. */
export const ADMIN_ROLE = 'admin';

/** A page's menu group; an action sits in its page's group. */
export function menuOf(code: PermissionCode): MenuKey {
  const entry: PageEntry | ActionEntry = permissionCatalogue[code];
  return entry.kind === 'page' ? entry.menu : menuOf(entry.parent as PermissionCode);
}
