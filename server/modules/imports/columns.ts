import { zonedInstant } from '../../clock.ts';
import {
  classType,
  customerSource,
  education,
  experience,
  gender,
  type Labels,
  workStatus,
} from '../../db/schema/enums.ts';
import { isCalendarDate } from '../../http/dates.ts';
import { contactProblems } from '../customers/contact-rules.ts';
import type { Cell } from './read.ts';
import { type ImportParams, type RowError, type RowErrorCode, rowError } from './words.ts';

/**
 * The columns an import understands: the template's Chinese titles, the words people put in their
 * own sheets for the same thing, and the API's field names. Cells are parsed here into a
 * customer's values, or into the reasons the row is refused.
 */
export type ImportFieldKey =
  | 'name'
  | 'phone'
  | 'qq'
  | 'wechat'
  | 'gender'
  | 'source'
  | 'classType'
  | 'courses'
  | 'education'
  | 'graduationSchool'
  | 'major'
  | 'experience'
  | 'workStatus'
  | 'company'
  | 'salary'
  | 'note'
  | 'consultant'
  | 'createdAt';

type Kind = 'text' | 'enum' | 'list' | 'date';

export type ImportField = {
  key: ImportFieldKey;
  /** The template's title. */
  title: string;
  aliases: string[];
  kind: Kind;
  required?: boolean;
  maxLength?: number;
  labels?: Record<string, Labels>;
  /** An example for the template's sample row. */
  example: string;
};

const text = (
  key: ImportFieldKey,
  title: string,
  aliases: string[],
  example: string,
  maxLength = 200,
): ImportField => ({
  key,
  title,
  aliases,
  kind: 'text',
  maxLength,
  example,
});
const enumField = (
  key: ImportFieldKey,
  title: string,
  aliases: string[],
  labels: Record<string, Labels>,
  example: string,
): ImportField => ({ key, title, aliases, kind: 'enum', labels, example });

/** In the template's order. */
export const importFields: ImportField[] = [
  { ...text('name', '姓名', ['客户姓名', '名字', '客户'], '示例-张三', 100), required: true },
  text('phone', '手机', ['手机号', '手机号码', '电话', '电话号码', '联系电话', 'mobile'], '13800000000', 50),
  text('qq', 'QQ', ['qq号', 'qq号码'], '10000', 50),
  text('wechat', '微信', ['微信号', 'wechat id', 'weixin'], 'example_wx', 100),
  enumField('gender', '性别', [], gender.labels, '男'),
  enumField('source', '来源', ['客户来源', '渠道'], customerSource.labels, '百度推广'),
  enumField('classType', '班型', ['班级类型'], classType.labels, '脱产班'),
  { key: 'courses', title: '咨询课程', aliases: ['课程', '意向课程'], kind: 'list', example: '' },
  enumField('education', '学历', [], education.labels, '普通本科'),
  text('graduationSchool', '毕业学校', ['学校', '院校'], '某某大学'),
  text('major', '专业', [], '计算机科学'),
  enumField('experience', '工作经验', ['工作年限'], experience.labels, '应届毕业'),
  enumField('workStatus', '职业状态', ['工作状态'], workStatus.labels, '在职'),
  text('company', '目前就职公司', ['公司', '就职公司', '单位'], ''),
  text('salary', '当前薪资', ['薪资', '月薪'], '', 50),
  text('note', '客户背景', ['备注', '说明', '背景'], '示例行：导入时会跳过', 5000),
  text('consultant', '课程顾问', ['顾问', '销售', '归属顾问'], ''),
  {
    key: 'createdAt',
    title: '录入时间',
    aliases: ['咨询日期', '日期', '创建时间'],
    kind: 'date',
    example: '',
  },
];

const fieldByKey = new Map(importFields.map((f) => [f.key, f]));
export const importField = (key: ImportFieldKey) => fieldByKey.get(key)!;

/** 「手机号 」, "Phone*", "class_type" → the words to compare. */
const canonical = (title: string) =>
  title
    .normalize('NFKC')
    .replace(/[*＊\s()（）:：]|必填/g, '')
    .replace(/_/g, '')
    .toLowerCase();

const titleIndex = new Map<string, ImportFieldKey>();
for (const field of importFields) {
  for (const name of [field.title, field.key, ...field.aliases]) titleIndex.set(canonical(name), field.key);
}

export type HeaderMap = {
  /** Per column of the sheet, the field it feeds (or null). */
  fields: (ImportFieldKey | null)[];
  recognised: { column: string; field: ImportFieldKey }[];
  ignored: string[];
};

/** A field's column as the file titles it (手机号, not the template's 手机), for messages. */
export const columnTitle = (header: HeaderMap, key: ImportFieldKey): string =>
  header.recognised.find((r) => r.field === key)?.column ?? importField(key).title;

export function mapHeader(cells: Cell[]): HeaderMap {
  const fields: (ImportFieldKey | null)[] = [];
  const recognised: HeaderMap['recognised'] = [];
  const ignored: string[] = [];
  const taken = new Set<ImportFieldKey>();
  for (const cell of cells) {
    const title = cellText(cell);
    const key = title ? titleIndex.get(canonical(title)) : undefined;
    // A second column with the same meaning is ignored rather than silently merged.
    if (key && !taken.has(key)) {
      taken.add(key);
      fields.push(key);
      recognised.push({ column: title, field: key });
    } else {
      fields.push(null);
      if (title) ignored.push(title);
    }
  }
  return { fields, recognised, ignored };
}

/** What a cell says as text: numbers without exponent or trailing .0 (phone numbers typed as numbers). */
export function cellText(cell: Cell): string {
  if (cell === null) return '';
  if (typeof cell === 'number') return Number.isInteger(cell) ? cell.toFixed(0) : String(cell);
  if (cell instanceof Date) return cell.toISOString();
  return String(cell).trim();
}

const enumIndex = new WeakMap<Record<string, Labels>, Map<string, string>>();
function enumCode(labels: Record<string, Labels>, value: string): string | undefined {
  let index = enumIndex.get(labels);
  if (!index) {
    index = new Map();
    for (const [code, l] of Object.entries(labels)) {
      for (const name of [code, l.zh, l.en, ...(l.aliases ?? [])]) index.set(canonical(name), code);
    }
    enumIndex.set(labels, index);
  }
  return index.get(canonical(value));
}

/** Excel's day 0 is 1899-12-30 (it counts the 1900 leap day that never was). */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

/** A date as written in a sheet, read as the school's local time. */
export function parseDate(cell: Cell, timezone: string): Date | null {
  if (cell instanceof Date) {
    // ExcelJS gives a date cell as that wall-clock time in UTC.
    const wall = cell.toISOString();
    return zonedInstant(
      wall.slice(0, 10),
      timezone,
      Number(wall.slice(11, 13)) * 60 + Number(wall.slice(14, 16)),
    );
  }
  if (typeof cell === 'number') {
    if (cell < 1 || cell > 2_958_465) return null;
    const wall = new Date(EXCEL_EPOCH_MS + Math.round(cell * 86_400) * 1000).toISOString();
    return zonedInstant(
      wall.slice(0, 10),
      timezone,
      Number(wall.slice(11, 13)) * 60 + Number(wall.slice(14, 16)),
    );
  }
  const match =
    /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[\sT]+(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?)?$/.exec(
      cellText(cell),
    );
  if (!match) return null;
  const [, y, m, d, hh, mm] = match;
  const month = Number(m);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  const date = `${y}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  // 2026-02-31 is no date, nor is year 0, which the database refuses.
  if (!isCalendarDate(date)) return null;
  const minutes = hh === undefined ? 0 : Number(hh) * 60 + Number(mm);
  if (minutes >= 1440) return null;
  return zonedInstant(date, timezone, minutes);
}

export type ParsedRow = {
  values: Partial<Record<Exclude<ImportFieldKey, 'createdAt' | 'courses'>, string>> & {
    createdAt?: Date;
    courseNames?: string[];
  };
  errors: RowError[];
};

const optionList = (labels: Record<string, Labels>, lang: 'zh' | 'en') =>
  Object.values(labels)
    .map((l) => l[lang])
    .join(lang === 'zh' ? '、' : ', ');

/** A cell's text as a message quotes it. */
const quoted = (raw: string) => raw.slice(0, 50);

/** One data row's cells → a customer's values, or the reasons it cannot be one. */
export function parseRow(
  cells: Cell[],
  header: HeaderMap,
  context: { timezone: string; at: Date },
): ParsedRow {
  const values: ParsedRow['values'] = {};
  const errors: ParsedRow['errors'] = [];
  header.fields.forEach((key, i) => {
    if (!key) return;
    const field = importField(key);
    const cell = cells[i] ?? null;
    const raw = cellText(cell);
    if (raw === '') return;
    const fail = (code: RowErrorCode, params?: ImportParams) =>
      errors.push(rowError(columnTitle(header, key), code, params));
    switch (field.kind) {
      case 'text':
        if (raw.length > (field.maxLength ?? 200)) fail('too_long', { max: field.maxLength ?? 200 });
        else values[key as 'name'] = raw;
        break;
      case 'enum': {
        const code = enumCode(field.labels!, raw);
        if (code) values[key as 'gender'] = code;
        else
          fail('not_an_option', {
            value: quoted(raw),
            options: optionList(field.labels!, 'zh'),
            optionsEn: optionList(field.labels!, 'en'),
          });
        break;
      }
      case 'list':
        values.courseNames = raw
          .split(/[,，、;；/\n]/)
          .map((s) => s.trim())
          .filter(Boolean);
        break;
      case 'date': {
        const at = parseDate(cell, context.timezone);
        if (!at) fail('not_a_date', { value: quoted(raw) });
        else if (at.getTime() > context.at.getTime()) fail('future_date');
        else values.createdAt = at;
        break;
      }
    }
  });
  if (!values.name) errors.push(rowError(columnTitle(header, 'name'), 'required'));
  if (!values.phone && !values.qq && !values.wechat) errors.push(rowError(null, 'contact_required'));
  // The same rules as the form and the API (customers/contact-rules.ts).
  for (const problem of contactProblems(values)) {
    errors.push(
      rowError(columnTitle(header, problem.field), problem.code, {
        value: quoted(values[problem.field] ?? ''),
      }),
    );
  }
  return { values, errors };
}

/** The template's sample row: left in an uploaded file by mistake, it is skipped, not imported. */
export function isTemplateExample(values: ParsedRow['values']): boolean {
  return values.name === importField('name').example && values.phone === importField('phone').example;
}
