/**
 * Why an import refused a row, or stopped: a code with the values it names, stored with each row
 * error and failure, so the result page (web/i18n `imports.rowErrors`, `imports.failures`) and the
 * error report word it in the reader's language. The Chinese sentence is stored beside the code as
 * well, as imports did before codes existed; rows stored then have that sentence alone.
 */
export type ImportLang = 'zh' | 'en';
export type ImportParams = Record<string, string | number>;
type Words = Record<ImportLang, (p: ImportParams) => string>;

const contactWords: Record<ImportLang, Record<string, string>> = {
  zh: { phone: '手机号', qq: 'QQ', wechat: '微信' },
  en: { phone: 'Phone', qq: 'QQ', wechat: 'WeChat' },
};
const contact = (lang: ImportLang, field: unknown) => contactWords[lang][String(field)] ?? String(field);

export const rowErrorWords = {
  required: { zh: () => '必填', en: () => 'Required' },
  too_long: {
    zh: (p) => `超过 ${p.max} 个字符`,
    en: (p) => `Longer than ${p.max} characters`,
  },
  not_an_option: {
    zh: (p) => `「${p.value}」不是可选的值（可选：${p.options}）`,
    en: (p) => `"${p.value}" is not one of the choices (${p.optionsEn})`,
  },
  not_a_date: {
    zh: (p) => `「${p.value}」不是日期（如 2026-03-01）`,
    en: (p) => `"${p.value}" is not a date (e.g. 2026-03-01)`,
  },
  future_date: { zh: () => '日期在将来', en: () => 'The date is in the future' },
  contact_required: {
    zh: () => '手机、QQ、微信至少填一项',
    en: () => 'Fill in at least one of phone, QQ or WeChat',
  },
  phone_invalid: {
    zh: (p) =>
      `「${p.value}」不是电话号码：手机号为 1 开头的 11 位数字，座机要带区号（如 010-12345678），境外号码以 + 和国家代码开头`,
    en: (p) =>
      `"${p.value}" is not a phone number: a mobile has 11 digits starting with 1, a landline its area code (e.g. 010-12345678), a number abroad + and its country code`,
  },
  qq_invalid: {
    zh: (p) => `「${p.value}」不是 QQ 号：QQ 号为 5–11 位数字，不以 0 开头`,
    en: (p) => `"${p.value}" is not a QQ number: 5–11 digits, not starting with 0`,
  },
  wechat_invalid: {
    zh: (p) => `「${p.value}」不是微信号：6–20 位字母、数字、下划线或减号，以字母开头；也可以是手机号`,
    en: (p) =>
      `"${p.value}" is not a WeChat ID: 6–20 letters, digits, _ or -, starting with a letter; or a mobile number`,
  },
  unknown_course: {
    zh: (p) => `没有名为「${p.name}」的课程`,
    en: (p) => `No course is called "${p.name}"`,
  },
  consultant_required: {
    zh: () => '必填（按课程顾问列分配）',
    en: () => 'Required (customers are given out by this column)',
  },
  unknown_staff: {
    zh: (p) => `没有名为「${p.name}」的在职员工`,
    en: (p) => `No active member of staff is called "${p.name}"`,
  },
  ambiguous_staff: {
    zh: (p) => `有多位员工叫「${p.name}」，请填用户名`,
    en: (p) => `Several members of staff are called "${p.name}": write the username`,
  },
  cannot_own: {
    zh: (p) => `「${p.name}」不能拥有客户：只能分配给可以抢单的销售人员`,
    en: (p) => `${p.name} may not own customers: only sales staff who may grab customers can`,
  },
  duplicate_in_file: {
    zh: (p) => `与第 ${p.row} 行重复`,
    en: (p) => `The same as row ${p.row}`,
  },
  duplicate_mine: {
    zh: (p) => `${contact('zh', p.field)} ${p.value} 已登记：客户「${p.name}」，是你自己的客户`,
    en: (p) => `${contact('en', p.field)} ${p.value} is already on file: ${p.name}, your own customer`,
  },
  duplicate_pool: {
    zh: (p) => `${contact('zh', p.field)} ${p.value} 已登记：客户「${p.name}」，在公共客户池中`,
    en: (p) => `${contact('en', p.field)} ${p.value} is already on file: ${p.name}, in the public pool`,
  },
  duplicate_owned: {
    zh: (p) => `${contact('zh', p.field)} ${p.value} 已登记：客户「${p.name}」，归属课程顾问 ${p.consultant}`,
    en: (p) =>
      `${contact('en', p.field)} ${p.value} is already on file: ${p.name}, consultant ${p.consultant}`,
  },
} satisfies Record<string, Words>;

export type RowErrorCode = keyof typeof rowErrorWords;

/** A refused row's reason: where, why, and the stored Chinese sentence. */
export type RowError = { column: string | null; code: RowErrorCode; params?: ImportParams; message: string };

export function rowError(column: string | null, code: RowErrorCode, params?: ImportParams): RowError {
  return { column, code, ...(params ? { params } : {}), message: rowErrorWords[code].zh(params ?? {}) };
}

/** A stored row error in `lang`: from its code when it has one, else (older rows) its sentence. */
export function wordRowError(
  error: { code?: string | null; params?: unknown; message: string },
  lang: ImportLang,
): string {
  const words = error.code ? (rowErrorWords as Record<string, Words>)[error.code] : undefined;
  return words ? words[lang]((error.params ?? {}) as ImportParams) : error.message;
}

export const failureWords = {
  file_gone: {
    zh: () => '上传的文件已不在服务器上，请重新上传',
    en: () => 'The uploaded file is no longer stored: upload it again',
  },
  empty_file: { zh: () => '文件里没有任何内容', en: () => 'The file has nothing in it' },
  no_header: {
    zh: (p) =>
      `第一行不是标题行：没有认出任何列（应有 姓名、手机、QQ、微信 等标题）${p.read ? `；读到的是：${p.read}` : ''}`,
    en: (p) =>
      `The first row is not a header: no column was recognised (expected titles such as 姓名, 手机, QQ, 微信)${p.read ? `; it reads: ${p.read}` : ''}`,
  },
  missing_name: { zh: () => '缺少「姓名」列', en: () => 'There is no 姓名 (name) column' },
  missing_contact: {
    zh: () => '缺少联系方式列：手机、QQ、微信至少要有一列',
    en: () => 'There is no contact column: at least one of 手机, QQ or 微信 is needed',
  },
  missing_consultant_column: {
    zh: () => '按课程顾问列分配时，表格必须有「课程顾问」列',
    en: () => 'To give customers out by consultant, the sheet needs a 课程顾问 (consultant) column',
  },
  too_many_rows: {
    zh: (p) => `文件超过一次最多导入 ${p.limit} 行的上限，请拆分后分别导入`,
    en: (p) =>
      `The file has more than ${p.limit} rows, the most one import takes: split it and import the parts`,
  },
  cell_too_long: {
    zh: (p) => `单元格 ${p.cell} 超过 ${p.limit} 个字符，文件未导入`,
    en: (p) => `Cell ${p.cell} holds more than ${p.limit} characters: the file was not imported`,
  },
  row_too_long: {
    zh: (p) => `第 ${p.row} 行的内容超过 ${p.limit} 个字符，文件未导入`,
    en: (p) => `Row ${p.row} holds more than ${p.limit} characters: the file was not imported`,
  },
  file_refused: {
    zh: () => '文件未通过导入前的检查（已损坏、被改动或超出限制），请检查后重新上传',
    en: () =>
      'The file did not pass the checks made before importing (it is damaged, was altered, or is past a limit): check it and upload it again',
  },
  out_of_memory: {
    zh: () => '导入所需内存超出上限，请拆分文件后重新导入',
    en: () => 'The import needed more memory than it may use: split the file and import the parts',
  },
  orphaned: {
    zh: () => '导入中断：处理它的服务已停止。已完成的批次已保存，其余未导入，请检查结果后重新导入剩余的行',
    en: () =>
      'The import was cut off: the server running it stopped. Whole batches were saved, the rest not: check the result and import the remaining rows again',
  },
  unexpected: {
    zh: () => '导入因意外错误而停止',
    en: () => 'The import stopped on an unexpected error',
  },
} satisfies Record<string, Words>;

export type FailureCode = keyof typeof failureWords;

/** "(3,000 rows processed, 2,990 imported)", after a failure that came midway through a commit. */
const doneSoFarWords: Words = {
  zh: (p) => `（已处理 ${p.processed} 行，导入 ${p.created} 行）`,
  en: (p) => ` (${p.processed} rows processed, ${p.created} imported)`,
};

/** A failure's sentence in `lang`, with what was done by then when the params say. */
export function wordFailure(code: FailureCode, params: ImportParams, lang: ImportLang): string {
  const done = params.processed === undefined ? '' : doneSoFarWords[lang](params);
  return `${failureWords[code][lang](params)}${done}`;
}

/** Stops an import, saying why with a code (ImportFailure in batch.ts carries it). */
export type FailureReason = { code: FailureCode; params?: ImportParams };
