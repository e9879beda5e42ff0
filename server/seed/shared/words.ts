// The words and the random numbers both seeds draw their people from: the demo school and the scale
// school are told apart by how many they draw, not by what.

/** Space-separated words, so long lists stay compact. */
const words = (list: string) => list.split(' ');

export const SURNAMES = [
  ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯史陶黎贺顾毛郝龚邵万严武戴孔汤',
];
export const GIVEN_MALE = words(
  '伟 强 磊 军 洋 勇 杰 涛 明 超 刚 浩 鹏 飞 鑫 凯 斌 宇 子轩 思远 俊杰 志强 建华 晓东 文博 一鸣 天翔 博文 浩然 宇航 家豪 明轩 振华 海波 国栋 立新 少华 嘉诚 子豪 泽宇',
);
export const GIVEN_FEMALE = words(
  '芳 娜 敏 静 丽 艳 娟 霞 平 晶 琳 颖 倩 洁 雪 婷 秀英 桂英 梓涵 欣怡 雨萱 海燕 佳琪 嘉怡 晨曦 雪梅 婷婷 思琪 梦瑶 雅静 诗涵 一诺 晓燕 丽娟 慧敏 文静 若曦 语桐',
);
export const PHONE_PREFIXES = words(
  '130 131 132 133 135 136 137 138 139 150 151 152 155 156 157 158 159 166 176 177 180 181 182 185 186 187 188 189 198 199',
);
export const WECHAT_STEMS = words('wx sun leaf coder xiao momo tiger lucky blue echo mint rain');
export const SCHOOLS = words(
  '北京理工大学 河北科技大学 郑州大学 山东农业大学 哈尔滨理工大学 湖南工业大学 北京联合大学 廊坊职业技术学院 石家庄学院 黑龙江大学 天津职业大学 上海电机学院 南京工程学院 苏州大学 安徽建筑大学 江西师范大学',
);
export const MAJORS = words(
  '计算机科学与技术 软件工程 电子信息工程 通信工程 机械设计制造及其自动化 会计学 市场营销 英语 数学与应用数学 网络工程 自动化 土木工程 工商管理 物流管理',
);
export const COMPANIES = words(
  '某软件外包公司 京东物流 顺丰速运 富士康 国家电网 美团 某教育机构 某银行客服中心 自由职业 某制造企业 某电商公司 社区医院',
);
export const SALARIES = ['3500', '4000', '4500', '5000', '6000', '6000-8000', '7k', '8000', '1w左右', ''];
export const CUSTOMER_NOTES = [
  '想转行做开发',
  '在职，只能周末上课',
  '关注就业推荐',
  '预算有限，咨询分期',
  '朋友在我们这里学过',
  '对比了几家机构',
  '家长陪同咨询',
  '',
  '',
  '',
  '',
];
export const CONSULT_NOTES = [
  '电话沟通，了解学习背景和意向，发送课程大纲',
  '客户在比较其他机构，约周末到校参观',
  '已加微信，发送试听视频和往期学员作品',
  '询问学费分期，已说明分期政策',
  '到校参观，试听一节课，反馈不错',
  '暂时没空，约下周再联系',
  '关注就业情况，发送往期就业数据',
  '未接通，稍后再打',
  '发了开班时间表，客户在和家人商量',
  '客户担心基础薄弱，推荐先看预习资料',
  '回访，客户仍有意向，等发工资后决定',
  '约了下周二到校面谈',
];
export const EMERGENCY_RELATIONS = ['父亲', '母亲', '配偶', '哥哥', '姐姐'];
export const HOMEWORK_NOTES = [
  '按时提交',
  '完成较好',
  '代码规范有待提高',
  '部分功能未完成',
  '思路清晰',
  '',
  '',
];

// ---------------------------------------------------------------------------------------------------
// A small seeded PRNG (mulberry32): the same seed gives the same school.

export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  between(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return Math.floor(this.between(min, max + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return item(items, Math.floor(this.next() * items.length));
  }

  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    const total = entries.reduce((sum, [, w]) => sum + w, 0);
    let r = this.next() * total;
    for (const [value, w] of entries) {
      r -= w;
      if (r < 0) return value;
    }
    return item(entries, entries.length - 1)[0];
  }

  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(this.int(0, 9));
    return s;
  }
}

// ---------------------------------------------------------------------------------------------------
// Small helpers

export function item<T>(items: readonly T[], index: number): T {
  const value = items[index];
  if (value === undefined) throw new Error(`demo data: no item ${index}`);
  return value;
}

export function must<K, V>(map: ReadonlyMap<K, V>, key: K): V {
  const value = map.get(key);
  if (value === undefined) throw new Error(`demo data: nothing for ${String(key)}`);
  return value;
}

export const money = (n: number) => n.toFixed(2);
export const latest = (...dates: (Date | null | undefined)[]) =>
  new Date(Math.max(...dates.filter((d): d is Date => d instanceof Date).map((d) => d.getTime())));
export const stamps = (createdAt: Date, updatedAt: Date = createdAt) => ({ createdAt, updatedAt });

export function chunks<T>(rows: T[], size: number): T[][] {
  const parts: T[][] = [];
  for (let i = 0; i < rows.length; i += size) parts.push(rows.slice(i, i + size));
  return parts;
}
