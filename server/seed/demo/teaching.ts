// ---------------------------------------------------------------------------------------------------
// Courses, classes and lessons

export const demoSchools = ['北京校区', '上海校区'] as const;
export const demoCourses = ['Python全栈', 'Linux运维', '前端开发', '数据分析'] as const;
export type CourseName = (typeof demoCourses)[number];

/** How often each course is a new customer's first interest, in both the demo and the scale school. */
export const COURSE_INTEREST = [
  ['Python全栈', 4],
  ['Linux运维', 2],
  ['前端开发', 3],
  ['数据分析', 2],
] as const satisfies readonly (readonly [CourseName, number])[];

type LessonPlan = { title: string; exam: string; homework?: string };

const lessonsPython: LessonPlan[] = [
  { title: '环境搭建与基础语法', exam: '变量、缩进、input/print', homework: '猜数字小游戏' },
  { title: '数据类型与流程控制', exam: '列表、字典、集合，for/while', homework: '购物车程序' },
  { title: '函数与模块', exam: '参数、作用域、闭包、import', homework: '员工信息查询' },
  { title: '文件操作与异常处理', exam: 'with、编码、try/except', homework: '日志分析脚本' },
  { title: '面向对象编程', exam: '类与实例、继承、多态', homework: '选课系统' },
  { title: '迭代器、生成器与装饰器', exam: 'yield、@wraps、闭包应用' },
  { title: '网络编程', exam: 'socket、TCP与UDP、粘包', homework: '简易FTP' },
  { title: '并发编程', exam: '线程、进程、协程、GIL' },
  { title: 'MySQL数据库', exam: '建表、索引、联表查询', homework: '学员管理库表设计' },
  { title: 'Django入门', exam: 'MTV、路由、ORM', homework: '图书管理系统' },
];

const lessonsLinux: LessonPlan[] = [
  { title: 'Linux安装与目录结构', exam: 'FHS、常用命令', homework: '安装CentOS并整理笔记' },
  { title: '文件与权限管理', exam: 'chmod、chown、umask', homework: '权限综合练习' },
  { title: '用户与用户组', exam: 'useradd、sudo、/etc/passwd' },
  { title: '软件包管理', exam: 'yum、rpm、源码编译', homework: '源码编译安装Nginx' },
  { title: 'Shell脚本基础', exam: '变量、条件判断、循环', homework: '批量创建用户脚本' },
  { title: '网络配置与排错', exam: 'ip、ss、tcpdump' },
  { title: 'Nginx部署与反向代理', exam: '虚拟主机、upstream、负载均衡', homework: '两台后端的负载均衡' },
  { title: '定时任务与日志', exam: 'crontab、logrotate', homework: '日志切割与归档' },
];

const lessonsFrontend: LessonPlan[] = [
  { title: 'HTML基础', exam: '语义化标签、表单', homework: '个人简历页面' },
  { title: 'CSS布局', exam: '盒模型、Flex、Grid', homework: '仿电商首页布局' },
  { title: 'JavaScript基础', exam: '数据类型、函数、作用域' },
  { title: 'DOM与事件', exam: '事件冒泡与委托', homework: '待办清单' },
  { title: 'ES6+新特性', exam: 'let/const、箭头函数、Promise', homework: '封装异步请求' },
  { title: 'Vue入门', exam: '响应式、组件、指令' },
];

export type ClassKey = 'py9' | 'linux3' | 'fe5';

export type ClassPlan = {
  key: ClassKey;
  course: CourseName;
  school: (typeof demoSchools)[number];
  semester: number;
  price: number;
  /** Days from `at` to the first lesson (negative: it has started). */
  startOffset: number;
  lengthDays: number;
  students: number;
  lessons: LessonPlan[];
  /** Taught by the `teacher` user; otherwise the class has no teacher yet. */
  taught: boolean;
  /** Looked after by the `tutor` user. */
  tutored: boolean;
  memo: string;
  locations: readonly string[];
};

export const classPlans: ClassPlan[] = [
  {
    key: 'py9',
    course: 'Python全栈',
    school: '北京校区',
    semester: 9,
    price: 19800,
    startOffset: -16,
    lengthDays: 150,
    students: 13,
    lessons: lessonsPython,
    taught: true,
    tutored: true,
    memo: '脱产班，周一至周六上课',
    locations: ['北京市海淀区', '北京市昌平区', '北京市朝阳区', '北京市丰台区', '河北省廊坊市'],
  },
  {
    key: 'linux3',
    course: 'Linux运维',
    school: '北京校区',
    semester: 3,
    price: 16800,
    startOffset: -12,
    lengthDays: 120,
    students: 12,
    lessons: lessonsLinux,
    taught: true,
    tutored: false,
    memo: '脱产班，含RHCE考证辅导',
    locations: ['北京市海淀区', '北京市昌平区', '北京市大兴区', '北京市通州区', '天津市'],
  },
  {
    key: 'fe5',
    course: '前端开发',
    school: '上海校区',
    semester: 5,
    price: 18800,
    startOffset: -8,
    lengthDays: 140,
    students: 11,
    lessons: lessonsFrontend,
    taught: false,
    tutored: false,
    memo: '脱产班，讲师待定，暂由教研组轮流授课',
    locations: ['上海市浦东新区', '上海市闵行区', '上海市徐汇区', '江苏省苏州市', '上海市嘉定区'],
  },
];

/** Lessons run six days a week from the first: the k-th (0-based) is this many days after the start. */
export const lessonDayOffset = (k: number) => k + Math.floor(k / 6);
