import { describe, expect, test } from 'vitest';
import { browserTests, type ListPage, poll, resultsPath, tableRows } from './browser.ts';
import { expectNoRawCodes, watchPage } from './watch.ts';

/**
 * The teacher's story (issue 19): the home page shows their classes and the lesson still to mark;
 * from there they reach that lesson's attendance sheet, mark everyone with a bulk button, and the
 * home page no longer counts the lesson. Each run adds a lesson of its own for today and deletes it
 * after (its study records go with it), so the demo stays as the other files expect it.
 */
type Lesson = { id: number; dayNum: number; date: string; title: string; studyRecords: number };
type MyClass = { id: number; label: string; students: number; toMark: number; lessonToMark: Lesson | null };
type Dashboard = { classes?: MyClass[] };
type Page_<T> = ListPage<T>;

const CLASS = 'Python全栈 (9期)';
const { teacher, admin, openPage } = browserTests('teacher', 'admin');

/** Today in the school's time zone, which `me` names. */
async function schoolToday(): Promise<string> {
  const { timezone } = await teacher.get<{ timezone: string }>('/api/auth/me');
  return new Intl.DateTimeFormat('en-CA', { timeZone: timezone }).format(new Date());
}

const words = {
  'zh-CN': {
    toMark: (n: number) => `${n} 节课待录考勤与成绩`,
    mark: '录考勤与成绩',
    allMarked: '已上的课都已录入考勤或成绩',
    lateLabel: '迟到',
    classes: '我的班级',
  },
  en: {
    toMark: (n: number) => `${n} ${n === 1 ? 'lesson' : 'lessons'} to mark (attendance and scores)`,
    mark: 'Mark attendance and scores',
    allMarked: 'Every lesson held has attendance or scores',
    lateLabel: 'Late',
    classes: 'My classes',
  },
} as const;

describe("the teacher's home page", () => {
  for (const language of ['zh-CN', 'en'] as const) {
    test(`shows the lesson to mark and leads to its attendance (${language})`, async () => {
      const w = words[language];
      const classes = (await teacher.get<Dashboard>('/api/dashboard')).classes ?? [];
      const python = classes.find((c) => c.label === CLASS);
      if (!python) throw new Error(`the teacher has no ${CLASS}`);
      const last = await teacher.get<Page_<{ dayNum: number }>>(
        `/api/course-records?classId=${python.id}&sort=-dayNum&pageSize=1`,
      );
      const dayNum = (last.items[0]?.dayNum ?? 0) + 1;
      const title = `第${dayNum}天：E2E ${language}`;
      const lesson = await teacher.send<{ id: number }>('POST', '/api/course-records', {
        classId: python.id,
        dayNum,
        date: await schoolToday(),
        title,
      });

      const { context, page } = await openPage('teacher', { language });
      const watch = watchPage(page);
      try {
        // Home: the class, its students, the lesson to mark, one click from its study records.
        const before = (await teacher.get<Dashboard>('/api/dashboard')).classes?.find(
          (c) => c.id === python.id,
        );
        expect(before?.lessonToMark?.id).toBe(lesson.id);
        await page.goto('/');
        await page.getByText(w.classes, { exact: true }).waitFor();
        const card = page.getByTestId(`class-card-${python.id}`);
        await card.getByText(CLASS, { exact: true }).waitFor();
        await card.getByText(w.toMark(before!.toMark), { exact: true }).waitFor();
        await card.getByText(title).waitFor();
        await expectNoRawCodes(page);
        await page.screenshot({ path: resultsPath(`teacher-home-${language}.png`), fullPage: true });
        watch.check();

        await card.getByTestId('class-mark-link').getByText(w.mark).click();
        await poll(() => new URL(page.url()).pathname).toBe(`/teaching/lessons/${lesson.id}/attendance`);
        const sheet = page.getByTestId('attendance-table');
        await poll(() => tableRows(sheet).count()).toBe(before!.lessonToMark!.studyRecords);
        await expectNoRawCodes(page);

        // Everyone late (the bulk button over the whole selection), as the sheet then shows.
        await sheet.locator('.ant-table-thead .ant-checkbox-input').first().check();
        await page.getByTestId('attendance-bulk-late').click();
        await poll(async () => {
          const records = await teacher.get<Page_<{ attendance: string }>>(
            `/api/study-records?courseRecordId=${lesson.id}&pageSize=200`,
          );
          return records.items.every((record) => record.attendance === 'late');
        }).toBe(true);
        await poll(() =>
          tableRows(sheet).first().locator('.ant-radio-button-wrapper-checked').innerText(),
        ).toBe(w.lateLabel);
        watch.check();

        // Back home: the lesson is marked, so the class has one lesson fewer to mark.
        await page.goto('/');
        const after = (await teacher.get<Dashboard>('/api/dashboard')).classes?.find(
          (c) => c.id === python.id,
        );
        expect(after?.toMark).toBe(before!.toMark - 1);
        expect(after?.lessonToMark?.id).not.toBe(lesson.id);
        await card
          .getByText(after!.toMark === 0 ? w.allMarked : w.toMark(after!.toMark), { exact: true })
          .waitFor();
        expect(await card.getByText(title).count()).toBe(0);
        await expectNoRawCodes(page);
        watch.check();
      } finally {
        await context.close();
        await admin.send('DELETE', `/api/course-records/${lesson.id}`);
      }
    });
  }
});
