import { SaveOutlined } from '@ant-design/icons';
import {
  Affix,
  Alert,
  App,
  Badge,
  Button,
  Card,
  Flex,
  Input,
  Select,
  Space,
  Spin,
  Table,
  type TableColumnsType,
  Tag,
  Tooltip,
  Typography,
  theme,
} from 'antd';
import { memo, useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { PageLoading } from '../../components/PageLoading.tsx';
import { describeError, translateDetail } from '../../components/resource/errors.ts';
import { fieldTitle } from '../../components/resource/fields.ts';
import { useResourceMeta } from '../../components/resource/useResource.ts';
import { useConfirmLeave } from '../../components/useConfirmLeave.ts';
import { currentLanguage } from '../../i18n/index.ts';
import { attendanceColors, byStudentName } from './attendance.ts';
import { LessonHeader, sheetFailure } from './LessonHeader.tsx';
import { type StudyRecord, useLesson, useLessonRecords, useSaveScores } from './lessonApi.ts';
import { NoStudyRecords } from './NoStudyRecords.tsx';
import {
  changedCount,
  gradeGroups,
  isChanged,
  rowErrors,
  type ScoreDraft,
  scoreSheet,
  shownRow,
} from './scoreSheet.ts';

/** The homework note's limit (the study record's `homeworkNote`, and the save's schema). */
const NOTE_MAX = 500;

type GradeChoices = { label: string; options: { value: number; label: string }[] }[];

/** A row as the table draws it: the record, what the sheet shows of it, and what its cells depend on. */
type SheetRow = {
  record: StudyRecord;
  score: number;
  homeworkNote: string;
  changed: boolean;
  /** Why the last save refused this row. */
  error: string | undefined;
  choices: GradeChoices;
};

/** Whether a row's cells must be drawn again (a new language gives new `choices`). */
const rowRedrawn = (row: SheetRow, before: SheetRow): boolean =>
  row.record !== before.record ||
  row.score !== before.score ||
  row.homeworkNote !== before.homeworkNote ||
  row.changed !== before.changed ||
  row.error !== before.error ||
  row.choices !== before.choices;

/**
 * 录成绩: every student of a lesson with a grade (the server's list: A+ … D, then N/A, COPY and
 * FAIL) and a homework note. Edits stay on the page until Save sends the whole sheet in one request
 * (`PUT /api/course-records/:id/scores`); leaving with edits asks first. A row the server refuses is
 * marked with the reason, and nothing is saved.
 */
export default function ScoreSheetPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { token } = theme.useToken();
  const id = Number(useParams().id);
  const valid = Number.isInteger(id) && id > 0;
  const lesson = useLesson(valid ? id : null);
  const records = useLessonRecords(valid ? id : null);
  const meta = useResourceMeta('study-records');
  const save = useSaveScores(id);
  const language = currentLanguage();
  const [drafts, setDrafts] = useState<Readonly<Record<number, ScoreDraft>>>({});
  // A message per row the last save attempt refused, by study record.
  const [errors, setErrors] = useState<ReadonlyMap<number, string>>(new Map());
  const [failure, setFailure] = useState<string | null>(null);

  const rows = useMemo(() => byStudentName(records.data ?? []), [records.data]);
  const changed = changedCount(rows, drafts);
  useConfirmLeave(changed > 0);

  const scoreField = meta.data?.fields.find((field) => field.key === 'score');
  const choices = useMemo<GradeChoices>(() => {
    const { grades, marks } = gradeGroups(scoreField?.options ?? []);
    const option = (o: (typeof grades)[number]) => ({
      value: Number(o.value),
      label: fieldTitle(o, language),
    });
    return [
      { label: t('lessonSheets.grades'), options: grades.map(option) },
      { label: t('lessonSheets.marks'), options: marks.map(option) },
    ];
  }, [scoreField, language, t]);

  const sheetRows = useMemo<SheetRow[]>(
    () =>
      rows.map((record) => {
        const draft = drafts[record.id];
        const shown = shownRow(record, draft);
        return {
          record,
          score: shown.score ?? -1,
          homeworkNote: shown.homeworkNote,
          changed: isChanged(record, draft),
          error: errors.get(record.id),
          choices,
        };
      }),
    [rows, drafts, errors, choices],
  );

  const edit = useCallback((recordId: number, change: ScoreDraft) => {
    setDrafts((current) => ({ ...current, [recordId]: { ...current[recordId], ...change } }));
    setErrors((current) => {
      if (!current.has(recordId)) return current;
      const next = new Map(current);
      next.delete(recordId);
      return next;
    });
  }, []);

  const failed = sheetFailure(valid, lesson.error ?? records.error ?? meta.error, t);
  if (failed) return failed;
  if (!lesson.data || !records.data || !meta.data) return <PageLoading />;

  const canEdit = meta.data.allowed.update;
  // N/A, COPY and FAIL are marks, not grades; a new study record holds N/A.
  const graded = sheetRows.filter((row) => row.score >= 0).length;

  const showRowErrors = (byRow: Map<number, string>) => {
    setErrors(byRow);
    setFailure(t('lessonSheets.rowErrors', { count: byRow.size }));
    const first = rows.find((record) => byRow.has(record.id));
    if (first) document.querySelector(`[data-row-key="${first.id}"]`)?.scrollIntoView({ block: 'center' });
  };

  const onSave = async () => {
    const sheet = scoreSheet(rows, drafts);
    if (sheet.ungraded.length > 0) {
      showRowErrors(new Map(sheet.ungraded.map((recordId) => [recordId, t('lessonSheets.needsScore')])));
      return;
    }
    setFailure(null);
    try {
      const { saved } = await save.mutateAsync(sheet.rows);
      setDrafts({});
      setErrors(new Map());
      message.success(t('lessonSheets.saved', { count: saved }));
    } catch (error) {
      const sent = sheet.rows.map((row) => row.studyRecordId);
      const byRow = error instanceof ApiError ? rowErrors(error.details, sent) : new Map();
      if (byRow.size > 0) {
        showRowErrors(
          new Map([...byRow].map(([recordId, detail]) => [recordId, translateDetail(detail, t)])),
        );
      } else {
        setFailure(describeError(error, t));
      }
    }
  };

  // Each cell is drawn again only when its row changed: typing in one row of 60 redraws that row.
  const columns: TableColumnsType<SheetRow> = [
    { key: 'index', title: '#', width: 56, render: (_value, _row, index) => index + 1 },
    {
      key: 'student',
      title: t('lessonSheets.student'),
      width: 160,
      shouldCellUpdate: rowRedrawn,
      render: (_value, { record, changed }) => (
        <Space size={6}>
          {record.student?.name ?? `#${record.studentId}`}
          {changed && (
            <Tooltip title={t('lessonSheets.rowChanged')}>
              <Badge status="warning" data-testid={`score-changed-${record.id}`} />
            </Tooltip>
          )}
        </Space>
      ),
    },
    {
      key: 'attendance',
      title: t('lessonSheets.attendance'),
      width: 100,
      shouldCellUpdate: rowRedrawn,
      render: (_value, { record }) => (
        <Tag color={attendanceColors[record.attendance]}>{t(`lessonSheets.status.${record.attendance}`)}</Tag>
      ),
    },
    {
      key: 'score',
      title: t('lessonSheets.score'),
      width: 150,
      shouldCellUpdate: rowRedrawn,
      render: (_value, row) =>
        canEdit ? (
          <GradeSelect
            recordId={row.record.id}
            value={row.score}
            choices={row.choices}
            invalid={row.error !== undefined}
            onEdit={edit}
          />
        ) : (
          <GradeLabel value={row.score} choices={row.choices} />
        ),
    },
    {
      key: 'homeworkNote',
      title: t('lessonSheets.homeworkNote'),
      shouldCellUpdate: rowRedrawn,
      render: (_value, row) => (
        <Flex vertical gap={2}>
          {canEdit ? (
            <NoteInput recordId={row.record.id} value={row.homeworkNote} onEdit={edit} />
          ) : (
            <Typography.Text>{row.homeworkNote}</Typography.Text>
          )}
          {row.error && (
            <Typography.Text type="danger" data-testid={`score-error-${row.record.id}`}>
              {row.error}
            </Typography.Text>
          )}
        </Flex>
      ),
    },
  ];

  return (
    <Flex vertical gap={16} style={{ maxWidth: 1100 }} data-testid="score-sheet">
      <LessonHeader lesson={lesson.data} sheet="scores" />
      {!canEdit && <Alert type="info" showIcon title={t('lessonSheets.scoresReadOnly')} />}
      {rows.length === 0 ? (
        <NoStudyRecords lessonId={id} />
      ) : (
        <Card size="small">
          <Flex vertical gap={12}>
            <Affix offsetTop={64}>
              <Flex
                justify="space-between"
                align="center"
                wrap
                gap={8}
                style={{ background: token.colorBgContainer, paddingBlock: 4 }}
              >
                <Space size={12} wrap>
                  <Typography.Text strong data-testid="score-summary">
                    {t('lessonSheets.graded', { count: graded, total: rows.length })}
                  </Typography.Text>
                  {graded === 0 && canEdit && (
                    <Typography.Text type="secondary">{t('lessonSheets.gradeHint')}</Typography.Text>
                  )}
                </Space>
                {canEdit && (
                  <Space>
                    {changed > 0 && (
                      <Typography.Text type="warning" data-testid="score-unsaved">
                        {t('lessonSheets.unsaved', { count: changed })}
                      </Typography.Text>
                    )}
                    <Button
                      type="primary"
                      icon={<SaveOutlined />}
                      loading={save.isPending}
                      disabled={changed === 0}
                      onClick={() => void onSave()}
                      data-testid="score-save"
                    >
                      {t('resource.save')}
                    </Button>
                  </Space>
                )}
              </Flex>
            </Affix>
            {failure && (
              <Alert
                type="error"
                showIcon
                title={failure}
                closable
                onClose={() => setFailure(null)}
                data-testid="score-failure"
              />
            )}
            {/* The spinner holds the sheet still while it saves without drawing its 60 rows again. */}
            <Spin spinning={save.isPending} delay={150}>
              <Table<SheetRow>
                rowKey={(row) => row.record.id}
                size="small"
                columns={columns}
                dataSource={sheetRows}
                pagination={false}
                data-testid="score-table"
              />
            </Spin>
          </Flex>
        </Card>
      )}
    </Flex>
  );
}

type GradeSelectProps = {
  recordId: number;
  value: number | null;
  choices: GradeChoices;
  invalid: boolean;
  onEdit: (recordId: number, change: ScoreDraft) => void;
};

/** A row's grade; typing filters (`b+`), so a keyboard runs down the sheet. */
const GradeSelect = memo(function GradeSelect({
  recordId,
  value,
  choices,
  invalid,
  onEdit,
}: GradeSelectProps) {
  const { t } = useTranslation();
  return (
    <Select<number>
      value={value ?? undefined}
      placeholder={t('lessonSheets.scorePlaceholder')}
      options={choices}
      popupMatchSelectWidth={200}
      showSearch={{ optionFilterProp: 'label' }}
      status={invalid ? 'error' : undefined}
      onChange={(score) => onEdit(recordId, { score })}
      style={{ width: '100%' }}
      data-testid={`score-${recordId}`}
    />
  );
});

/** A grade as a read-only sheet shows it. */
function GradeLabel({ value, choices }: { value: number | null; choices: GradeChoices }) {
  const label = choices.flatMap((group) => group.options).find((option) => option.value === value)?.label;
  return <Typography.Text>{label ?? (value === null ? '—' : String(value))}</Typography.Text>;
}

type NoteInputProps = {
  recordId: number;
  value: string;
  onEdit: (recordId: number, change: ScoreDraft) => void;
};

const NoteInput = memo(function NoteInput({ recordId, value, onEdit }: NoteInputProps) {
  const { t } = useTranslation();
  return (
    <Input
      value={value}
      maxLength={NOTE_MAX}
      placeholder={t('lessonSheets.homeworkNotePlaceholder')}
      onChange={(event) => onEdit(recordId, { homeworkNote: event.target.value })}
      data-testid={`homework-note-${recordId}`}
    />
  );
});
