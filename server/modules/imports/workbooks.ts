import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { neutralise } from '../../engine/export.ts';
import { importFields } from './columns.ts';
import { columnLetters } from './refusals.ts';
import type { ImportLang } from './words.ts';

/** Rows of the template that carry the drop-down lists. */
const TEMPLATE_ROWS = 5_000;

/**
 * The import template (docs/spec.md §4): the Chinese titles, required ones marked, a drop-down per
 * enumeration (its labels listed on a hidden second sheet), and one example row, which an import
 * skips if it is left in.
 */
export async function importTemplate(consultantNames: string[]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'Banyan CRM';
  const sheet = book.addWorksheet('客户', { views: [{ state: 'frozen', ySplit: 1 }] });
  const lists = book.addWorksheet('选项', { state: 'hidden' });
  sheet.columns = importFields.map((f) => ({
    header: f.title,
    key: f.key,
    width: f.key === 'note' ? 30 : f.key === 'createdAt' ? 18 : 14,
  }));
  const header = sheet.getRow(1);
  header.font = { bold: true };
  importFields.forEach((field, i) => {
    const cell = header.getCell(i + 1);
    cell.fill = {
      type: 'pattern',
      pattern: 'solid',
      fgColor: { argb: field.required ? 'FFFFE0E0' : 'FFEFEFEF' },
    };
    if (field.required) cell.note = '必填';
    if (field.key === 'phone') cell.note = '手机、QQ、微信至少填一项';
    if (field.key === 'consultant') cell.note = '按课程顾问列分配时填写：用户名或姓名';
    if (field.key === 'courses') cell.note = '多门课程用逗号或顿号分隔';
    if (field.key === 'createdAt') cell.note = '可选，如 2026-03-01；留空为导入时间';
  });
  sheet.addRow(Object.fromEntries(importFields.map((f) => [f.key, f.example])));
  sheet.getRow(2).font = { color: { argb: 'FF888888' }, italic: true };

  let listColumn = 0;
  const addList = (fieldIndex: number, values: string[]) => {
    if (values.length === 0) return;
    const letter = columnLetters(listColumn++);
    values.forEach((value, i) => {
      lists.getCell(`${letter}${i + 1}`).value = value;
    });
    const target = columnLetters(fieldIndex);
    // ExcelJS takes a range here (its typings know only per-cell validations).
    (sheet as unknown as { dataValidations: { add(range: string, rule: object): void } }).dataValidations.add(
      `${target}2:${target}${TEMPLATE_ROWS + 1}`,
      {
        type: 'list',
        allowBlank: true,
        formulae: [`'选项'!$${letter}$1:$${letter}$${values.length}`],
        showErrorMessage: true,
        errorTitle: '请从列表中选择',
        error: '这一列只接受下拉列表中的值',
      },
    );
  };
  importFields.forEach((field, i) => {
    if (field.kind === 'enum')
      addList(
        i,
        Object.values(field.labels!).map((l) => l.zh),
      );
    if (field.key === 'consultant') addList(i, consultantNames);
  });
  return Buffer.from(await book.xlsx.writeBuffer());
}

const reportWords = {
  zh: { sheet: '错误行', row: '原行号', reasons: '错误原因' },
  en: { sheet: 'Refused rows', row: 'Row', reasons: 'Why refused' },
};

/**
 * The rows an import refused, as they were, with a reason column (in `lang`): fix them and upload
 * again. The file's own titles stay as they were, so the fixed file imports as the first did.
 */
export function errorReport(
  header: unknown[],
  rows: AsyncIterable<{ row: number; cells: unknown[]; reasons: string }>,
  lang: ImportLang,
  onError: (error: unknown) => void,
): Readable {
  const words = reportWords[lang];
  const out = new PassThrough();
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true });
  const sheet = book.addWorksheet(words.sheet);
  const cell = (value: unknown) =>
    value === null || value === undefined ? null : typeof value === 'string' ? neutralise(value) : value;
  (async () => {
    const titles = [...header.map(cell), words.row, words.reasons];
    const top = sheet.addRow(titles);
    top.font = { bold: true };
    top.commit();
    for await (const r of rows) {
      const cells = header.map((_, i) => cell(r.cells[i]));
      sheet.addRow([...cells, r.row, r.reasons]).commit();
    }
    sheet.commit();
    await book.commit();
  })().catch((error) => {
    onError(error);
    out.destroy(error as Error);
  });
  return out;
}
