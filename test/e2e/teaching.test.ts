import type { Locator, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { browserTests, type ListPage, poll, resultsPath, tableRows } from './browser.ts';
import { expectNoRawCodes, watchPage } from './watch.ts';

/**
 * A term as a teacher runs it (issue 22): from the home page to the class page, a lesson's
 * attendance clicked one by one and in bulk, its scores entered and saved at once, a student's
 * chart, and a student missing two lessons in a row — which the tutor then finds on their home page.
 * The run adds two lessons of its own for today and deletes them after (their study records go with
 * them), so the demo stays as the other files expect it.
 */
type Record_ = {
  id: number;
  studentId: number;
  student: { name: string };
  attendance: string;
  score: number;
};
type MyClass = { id: number; label: string; alerts?: { student: { id: number } }[] };

const CLASS = 'Python全栈 (9期)';
const { teacher, tutor, admin, openPage } = browserTests('teacher', 'tutor', 'admin');

async function schoolToday(): Promise<string> {
  const { timezone } = await teacher.get<{ timezone: string }>('/api/auth/me');
  return new Intl.DateTimeFormat('en-CA', { timeZone: timezone }).format(new Date());
}

const recordsOf = async (lessonId: number) =>
  (await teacher.get<ListPage<Record_>>(`/api/study-records?courseRecordId=${lessonId}&pageSize=200&sort=id`))
    .items;

async function pythonClass(): Promise<MyClass> {
  const classes = (await teacher.get<{ classes?: MyClass[] }>('/api/dashboard')).classes ?? [];
  const python = classes.find((c) => c.label === CLASS);
  if (!python) throw new Error(`the teacher has no ${CLASS}`);
  return python;
}

/** The sheet's row of one study record (rows are sorted by name, not by id). */
const rowOf = (sheet: Locator, recordId: number, testId: string) =>
  tableRows(sheet).filter({ has: sheet.page().getByTestId(`${testId}-${recordId}`) });

/** Picks a grade in a row's drop-down as a keyboard does: typing filters, Enter takes the match. */
async function pickGrade(page: Page, recordId: number, label: string): Promise<void> {
  const select = page.getByTestId(`score-${recordId}`);
  await select.click();
  await page.keyboard.type(label);
  await page.keyboard.press('Enter');
  await poll(() => select.innerText()).toContain(label);
}

describe("a teacher's term", () => {
  test('marks attendance, enters scores, reads a chart, and the tutor sees the absences', {
    timeout: 240_000,
  }, async () => {
    const python = await pythonClass();
    const last = await teacher.get<ListPage<{ dayNum: number }>>(
      `/api/course-records?classId=${python.id}&sort=-dayNum&pageSize=1`,
    );
    const dayNum = (last.items[0]?.dayNum ?? 0) + 1;
    const today = await schoolToday();
    const first = await teacher.send<{ id: number }>('POST', '/api/course-records', {
      classId: python.id,
      dayNum,
      date: today,
      title: `第${dayNum}天：E2E 考勤`,
    });
    const second = await teacher.send<{ id: number }>('POST', '/api/course-records', {
      classId: python.id,
      dayNum: dayNum + 1,
      date: today,
      title: `第${dayNum + 1}天：E2E 缺勤`,
    });
    const records = await recordsOf(first.id);
    expect(records.length).toBeGreaterThan(3);
    const [absent, lateA, lateB] = records as [Record_, Record_, Record_];

    const { context, page } = await openPage('teacher', { language: 'zh-CN' });
    const watch = watchPage(page);
    try {
      // Home → the class page, its lessons in order with the two new ones.
      await page.goto('/');
      const card = page.getByTestId(`class-card-${python.id}`);
      await card.getByTestId('class-card-title').click();
      await poll(() => new URL(page.url()).pathname).toBe(`/teaching/classes/${python.id}`);
      await page.getByTestId('class-page').waitFor();
      await page.getByTestId(`lesson-attendance-${first.id}`).waitFor();
      await expectNoRawCodes(page);
      await page.screenshot({ path: resultsPath('teaching-class-zh-CN.png'), fullPage: true });

      // The attendance sheet: one click saves one student; two ticked rows go late in one go.
      await page.getByTestId(`lesson-attendance-${first.id}`).click();
      const sheet = page.getByTestId('attendance-table');
      await poll(() => tableRows(sheet).count()).toBe(records.length);
      await page.getByTestId(`attendance-${absent.id}`).getByText('缺勤', { exact: true }).click();
      for (const record of [lateA, lateB])
        await rowOf(sheet, record.id, 'attendance').locator('.ant-checkbox-input').check();
      await page.getByTestId('attendance-bulk-late').click();
      await poll(async () => {
        const now = await recordsOf(first.id);
        return now.map((r) => r.attendance);
      }).toEqual(
        records.map((r) =>
          r.id === absent.id ? 'noshow' : [lateA.id, lateB.id].includes(r.id) ? 'late' : 'checked',
        ),
      );
      await page.getByTestId('attendance-summary').getByText('缺勤 1').waitFor();
      await page.getByTestId('attendance-summary').getByText('迟到 2').waitFor();
      await expectNoRawCodes(page);
      await page.screenshot({ path: resultsPath('teaching-attendance-zh-CN.png'), fullPage: true });
      watch.check();

      // The score sheet: grades from the list, a note, one save for the whole lesson.
      await page.getByTestId('lesson-sheet-switch').getByText('成绩').click();
      await poll(() => new URL(page.url()).pathname).toBe(`/teaching/lessons/${first.id}/scores`);
      await page.getByTestId(`score-${absent.id}`).waitFor();
      await pickGrade(page, absent.id, 'N/A');
      await pickGrade(page, lateA.id, 'B+');
      await pickGrade(page, lateB.id, 'COPY');
      await page.getByTestId(`homework-note-${lateA.id}`).fill('循环写得清楚');
      await page.getByTestId('score-save').click();
      await poll(async () => {
        const now = await recordsOf(first.id);
        return [absent, lateA, lateB].map((r) => now.find((n) => n.id === r.id)?.score);
      }).toEqual([-1, 85, -100]);
      await expectNoRawCodes(page);
      await page.screenshot({ path: resultsPath('teaching-scores-zh-CN.png'), fullPage: true });
      watch.check();

      // The student's chart, from the class page: the grade and the mark, and the attendance.
      await page.getByTestId('lesson-class').click();
      await page.getByTestId(`class-student-${lateA.studentId}`).getByRole('link').click();
      await poll(() => new URL(page.url()).pathname).toBe(`/teaching/students/${lateA.studentId}/scores`);
      await page.getByTestId('score-chart').locator('canvas').first().waitFor();
      await page.getByTestId('student-points').getByText(`第${dayNum}天：E2E 考勤`).waitFor();
      await expectNoRawCodes(page);
      await page.screenshot({ path: resultsPath('teaching-student-chart-zh-CN.png'), fullPage: true });
      watch.check();

      // A second lesson missed in a row: the class page raises the alert.
      const again = (await recordsOf(second.id)).find((r) => r.studentId === absent.studentId)!;
      await page.goto(`/teaching/lessons/${second.id}/attendance`);
      await page.getByTestId(`attendance-${again.id}`).getByText('缺勤', { exact: true }).click();
      await poll(async () => (await recordsOf(second.id)).find((r) => r.id === again.id)?.attendance).toBe(
        'noshow',
      );
      await page.goto(`/teaching/classes/${python.id}`);
      await page.getByTestId(`class-alert-${absent.studentId}`).waitFor();
      watch.check();
    } finally {
      await context.close();
    }

    // The tutor's home page shows it too, on the class's card.
    const tutored = (await tutor.get<{ classes?: MyClass[] }>('/api/dashboard')).classes ?? [];
    expect(tutored.find((c) => c.id === python.id)?.alerts?.map((a) => a.student.id)).toContain(
      absent.studentId,
    );
    const home = await openPage('tutor', { language: 'zh-CN' });
    try {
      await home.page.goto('/');
      const card = home.page.getByTestId(`class-card-${python.id}`);
      await card.getByTestId('class-alerts').waitFor();
      await expectNoRawCodes(home.page);
      await home.page.screenshot({ path: resultsPath('teaching-tutor-home-zh-CN.png'), fullPage: true });
    } finally {
      await home.context.close();
      await admin.send('DELETE', `/api/course-records/${second.id}`);
      await admin.send('DELETE', `/api/course-records/${first.id}`);
    }
  });

  test('shows the class page, both sheets and a chart in English', async () => {
    const python = await pythonClass();
    const lessons = await teacher.get<ListPage<{ id: number }>>(
      `/api/course-records?classId=${python.id}&sort=dayNum&pageSize=1`,
    );
    const lesson = lessons.items[0]!;
    const [record] = await recordsOf(lesson.id);
    const { context, page } = await openPage('teacher', { language: 'en' });
    const watch = watchPage(page);
    try {
      const pages: [string, string, string][] = [
        [`/teaching/classes/${python.id}`, 'class-page', 'class'],
        [`/teaching/lessons/${lesson.id}/attendance`, 'attendance-table', 'attendance'],
        [`/teaching/lessons/${lesson.id}/scores`, 'score-table', 'scores'],
        [
          `/teaching/students/${record!.studentId}/scores?classId=${python.id}`,
          'score-chart',
          'student-chart',
        ],
      ];
      for (const [path, testId, name] of pages) {
        await page.goto(path);
        await page.getByTestId(testId).waitFor();
        await page.locator('.ant-spin-spinning').first().waitFor({ state: 'detached' });
        await expectNoRawCodes(page);
        await page.screenshot({ path: resultsPath(`teaching-${name}-en.png`), fullPage: true });
        watch.check();
      }
    } finally {
      await context.close();
    }
  });
});
