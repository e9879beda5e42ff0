import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { sql } from 'drizzle-orm';
import { chromium } from 'playwright-core';
import { now } from '../server/clock.ts';
import { type Database, openDatabase, queryRows } from '../server/db/client.ts';
import { initialiseStudyRecords } from '../server/modules/lessons/service.ts';
import { prepareDatabase } from '../server/prepare.ts';
import { seedDemo } from '../server/seed/demo.ts';
import { tempDir } from '../test/cli.ts';
import { freshPostgres, percentile, send, serveForBench, signIn } from './load.ts';

/**
 * A 60-student lesson's attendance and score sheets as a teacher opens and saves them (issue 22):
 * the requests the pages make, one after another as one browser makes them, over real HTTP to
 * `crm serve` in its own process — on the embedded database (the default install) and, with
 * BENCH_DATABASE_URL, on PostgreSQL (a database the bench creates and drops beside it).
 *
 *   open:  GET the lesson, its study records (pageSize 200, the most a list gives) and the score field's grades
 *   save:  PUT /api/course-records/:id/scores with all 60 rows
 *   mark:  one attendance click (POST mark-late on one study record)
 *
 * and, when Chromium is installed, the score sheet in a browser (inBrowser).
 */
const STUDENTS = 60;
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const PASSWORD = 'bench-sheets';

/** The demo school plus a class of the demo teacher's with 60 students and one lesson today. */
async function prepareSchool(database: Database): Promise<void> {
  await prepareDatabase(database);
  const at = now();
  await seedDemo(database.db, { password: PASSWORD, at });
  await database.db.transaction(async (tx) => {
    const [cls] = await queryRows<{ id: number }>(
      tx,
      sql`insert into classes (school_id, course_id, semester, start_date)
          select s.id, c.id, 60, current_date from schools s, courses c order by s.id, c.id limit 1
          returning id`,
    );
    await tx.execute(sql`insert into class_teachers (class_id, teacher_id)
      select ${cls!.id}, id from users where username = 'teacher'`);
    await tx.execute(sql`
      with made as (
        insert into customers (name, phone, status, created_at, updated_at)
        select '六十班学员' || n, '1390000' || lpad(n::text, 4, '0'), 'enrolled', ${at}, ${at}
        from generate_series(1, ${STUDENTS}) n
        returning id),
      enrolled as (insert into students (customer_id) select id from made returning id)
      insert into student_classes (student_id, class_id) select id, ${cls!.id} from enrolled`);
    const [lesson] = await queryRows<{ id: number }>(
      tx,
      sql`insert into course_records (class_id, day_num, date, title)
          values (${cls!.id}, 1, current_date, '六十人的一课') returning id`,
    );
    await initialiseStudyRecords(tx, [lesson!.id], at);
  });
}

type Times = { p50Ms: number; p99Ms: number };

function summary(ms: number[]): Times {
  const sorted = [...ms].sort((a, b) => a - b);
  return {
    p50Ms: Number(percentile(sorted, 50).toFixed(1)),
    p99Ms: Number(percentile(sorted, 99).toFixed(1)),
  };
}

async function timeSheets(databaseUrl: string, dataDir?: string) {
  const server = await serveForBench(databaseUrl, dataDir ? { CRM_DATA_DIR: dataDir } : {});
  try {
    const headers = await signIn(server.url, 'teacher', PASSWORD);
    const get = async (path: string) => {
      const answer = await send(`${server.url}${path}`, { headers });
      if (answer.status !== 200) throw new Error(`GET ${path}: ${answer.status} ${answer.body}`);
      return JSON.parse(answer.body);
    };
    const lessons = await get('/api/course-records?q=%E5%85%AD%E5%8D%81%E4%BA%BA');
    const lessonId = lessons.items[0].id as number;
    const open = async () => {
      const started = performance.now();
      const [, records] = await Promise.all([
        get(`/api/course-records/${lessonId}`),
        get(`/api/study-records?courseRecordId=${lessonId}&pageSize=200&sort=id`),
        get('/api/meta/study-records'),
      ]);
      return { ms: performance.now() - started, records: records.items as { id: number }[] };
    };
    const { records } = await open();
    if (records.length !== STUDENTS)
      throw new Error(`expected ${STUDENTS} study records, got ${records.length}`);
    const grades = [100, 90, 85, 80, 70, 60, 50, 40, 0, -1, -100, -1000];
    const openMs: number[] = [];
    const saveMs: number[] = [];
    const markMs: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      openMs.push((await open()).ms);
      const scores = records.map((r, i) => ({
        studyRecordId: r.id,
        score: grades[(i + run) % grades.length],
        homeworkNote: `第${run}次批改`,
      }));
      let started = performance.now();
      const saved = await send(`${server.url}/api/course-records/${lessonId}/scores`, {
        method: 'PUT',
        headers,
        body: { scores },
      });
      saveMs.push(performance.now() - started);
      if (saved.status !== 200) throw new Error(`save: ${saved.status} ${saved.body}`);
      started = performance.now();
      const marked = await send(`${server.url}/api/study-records/actions/mark-late`, {
        method: 'POST',
        headers,
        body: { ids: [records[run % records.length]!.id] },
      });
      markMs.push(performance.now() - started);
      if (marked.status !== 200) throw new Error(`mark: ${marked.status} ${marked.body}`);
    }
    return {
      runs: RUNS,
      open: summary(openMs),
      save: summary(saveMs),
      markOne: summary(markMs),
      ...(existsSync(CHROMIUM) ? { browser: await inBrowser(server.url, lessonId) } : {}),
    };
  } finally {
    await server.stop();
  }
}

const CHROMIUM = '/usr/bin/chromium';

/** A client-side navigation, as the app's links make one (the page is not loaded again). */
const navigate = (path: string) =>
  `window.history.pushState({}, '', ${JSON.stringify(path)}); window.dispatchEvent(new PopStateEvent('popstate'));`;
const BROWSER_RUNS = Number(process.env.BENCH_BROWSER_RUNS ?? 10);

/**
 * The score sheet as the teacher sees it, in Chromium at 1366×768: from following a link to the
 * sheet (the app already loaded, as from the class page) to its 60 rows drawn, and from clicking
 * 保存 with one grade changed to the "saved" message.
 */
async function inBrowser(url: string, lessonId: number) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    const context = await browser.newContext({ baseURL: url, viewport: { width: 1366, height: 768 } });
    const login = await context.request.post('/api/auth/login', {
      data: { username: 'teacher', password: PASSWORD },
    });
    if (!login.ok()) throw new Error(`sign-in: ${login.status()}`);
    const page = await context.newPage();
    await page.goto('/');
    await page.getByTestId('dashboard-classes').waitFor();
    const rows = page.locator('[data-testid=score-table] .ant-table-tbody tr.ant-table-row');
    const openMs: number[] = [];
    const saveMs: number[] = [];
    const answeredMs: number[] = [];
    for (let run = 0; run < BROWSER_RUNS; run++) {
      // Away and back through the router, as a click from the class page goes.
      await page.evaluate(navigate('/'));
      await page.getByTestId('dashboard-classes').waitFor();
      let started = performance.now();
      await page.evaluate(navigate(`/teaching/lessons/${lessonId}/scores`));
      await rows.nth(STUDENTS - 1).waitFor();
      openMs.push(performance.now() - started);

      const first = (await rows.first().getAttribute('data-row-key')) ?? '';
      await page.getByTestId(`homework-note-${first}`).fill(`浏览器第${run}次`);
      started = performance.now();
      const answered = page
        .waitForResponse((r) => r.url().endsWith('/scores'))
        .then(() => performance.now() - started);
      await page.getByTestId('score-save').click();
      await page.locator('.ant-message-notice').last().waitFor();
      saveMs.push(performance.now() - started);
      answeredMs.push(await answered);
      await page.locator('.ant-message-notice').last().waitFor({ state: 'detached' });
    }
    return {
      runs: BROWSER_RUNS,
      openSheet: summary(openMs),
      saveSheet: summary(saveMs),
      saveAnswered: summary(answeredMs),
    };
  } finally {
    await browser.close();
  }
}

async function embedded() {
  const dataDir = await tempDir('crm-bench-sheets-');
  try {
    const database = await openDatabase({ databaseUrl: null, dataDir }, 'bench');
    try {
      await prepareSchool(database);
    } finally {
      await database.close();
    }
    return await timeSheets('', dataDir);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function postgres(url: string) {
  const name = `crm_bench_sheets_${process.pid}`;
  const target = await freshPostgres(url, name);
  try {
    const database = await openDatabase({ databaseUrl: target, dataDir: '' }, 'bench');
    try {
      await prepareSchool(database);
    } finally {
      await database.close();
    }
    return await timeSheets(target);
  } finally {
    const cleanup = await openDatabase({ databaseUrl: url, dataDir: '' }, 'bench');
    await cleanup.db.execute(sql.raw(`drop database if exists ${name} with (force)`));
    await cleanup.close();
  }
}

export async function sheetsBench() {
  const url = process.env.BENCH_DATABASE_URL;
  return {
    students: STUDENTS,
    embedded: await embedded(),
    ...(url ? { postgres: await postgres(url) } : {}),
  };
}
