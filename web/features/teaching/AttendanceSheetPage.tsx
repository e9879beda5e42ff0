import { CheckOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Divider,
  Flex,
  Popconfirm,
  Radio,
  Space,
  Spin,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
  theme,
} from 'antd';
import { memo, useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { hasMenuPath } from '../../app/menu.ts';
import { useCurrentUser } from '../../app/useMe.ts';
import { PageLoading } from '../../components/PageLoading.tsx';
import { describeError } from '../../components/resource/errors.ts';
import { useResourceMeta } from '../../components/resource/useResource.ts';
import {
  type Attendance,
  type AttendanceCounts,
  atDefaults,
  attendanceColors,
  attendanceOrder,
  byStudentName,
  countAttendance,
  markAction,
  overwrites,
} from './attendance.ts';
import { LessonHeader, sheetFailure } from './LessonHeader.tsx';
import { type StudyRecord, useLesson, useLessonRecords, useMarkAttendance } from './lessonApi.ts';
import { studentScoresPath } from './lessonPaths.ts';
import { NoStudyRecords } from './NoStudyRecords.tsx';

/**
 * 考勤: every student of a lesson, by name, with one click per status. A click saves at once (the
 * `mark-*` action for that one study record): the row shows the new status while it saves, and the
 * status from before when the save fails. Ticked rows, or the whole lesson, are marked in one go.
 * Without the right to mark, the sheet only shows the statuses.
 */
export default function AttendanceSheetPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const id = Number(useParams().id);
  const valid = Number.isInteger(id) && id > 0;
  const lesson = useLesson(valid ? id : null);
  const records = useLessonRecords(valid ? id : null);
  const meta = useResourceMeta('study-records');
  const mark = useMarkAttendance(id);
  const me = useCurrentUser();
  // Statuses clicked and not saved yet, shown in place of the saved ones.
  const [pending, setPending] = useState<ReadonlyMap<number, Attendance>>(new Map());
  const [selected, setSelected] = useState<number[]>([]);

  const rows = useMemo(() => {
    const sorted = byStudentName(records.data ?? []);
    return pending.size === 0
      ? sorted
      : sorted.map((record) => {
          const status = pending.get(record.id);
          return status ? { ...record, attendance: status } : record;
        });
  }, [records.data, pending]);

  const run = useCallback(
    async (ids: number[], status: Attendance, name?: string) => {
      const change = (apply: (next: Map<number, Attendance>) => void) =>
        setPending((current) => {
          const next = new Map(current);
          apply(next);
          return next;
        });
      change((next) => {
        for (const recordId of ids) next.set(recordId, status);
      });
      try {
        await mark(ids, status);
        if (name === undefined) {
          message.success(
            t('lessonSheets.marked', { count: ids.length, status: t(`lessonSheets.status.${status}`) }),
          );
          setSelected([]);
        }
      } catch (error) {
        const reason = describeError(error, t);
        message.error(
          name === undefined
            ? t('lessonSheets.bulkFailed', { message: reason })
            : t('lessonSheets.markFailed', { name, message: reason }),
        );
      } finally {
        change((next) => {
          for (const recordId of ids) if (next.get(recordId) === status) next.delete(recordId);
        });
      }
    },
    [mark, message, t],
  );

  const failure = sheetFailure(valid, lesson.error ?? records.error ?? meta.error, t);
  if (failure) return failure;
  if (!lesson.data || !records.data || !meta.data) return <PageLoading />;

  const allowed = (status: Attendance) => meta.data.allowed.actions[markAction(status)] === true;
  const canMark = attendanceOrder.some(allowed);
  const busy = pending.size > 0;
  const classId = lesson.data.classId;
  const linkStudents = hasMenuPath(me.menus, '/students');
  const everyone = rows.map((record) => record.id);
  const replaced = overwrites(rows, everyone, 'checked');
  // Study records are created as 已签到: on a lesson nobody has touched, only the exceptions need a click.
  const untouched = rows.every(atDefaults);

  const columns: TableColumnsType<StudyRecord> = [
    { key: 'index', title: '#', width: 56, render: (_value, _record, index) => index + 1 },
    {
      key: 'student',
      title: t('lessonSheets.student'),
      width: 180,
      render: (_value, record) => {
        const name = record.student?.name ?? `#${record.studentId}`;
        return linkStudents ? <Link to={studentScoresPath(record.studentId, classId)}>{name}</Link> : name;
      },
    },
    {
      key: 'attendance',
      title: t('lessonSheets.attendance'),
      render: (_value, record) =>
        canMark ? (
          <StatusChoice
            recordId={record.id}
            name={record.student?.name ?? `#${record.studentId}`}
            value={record.attendance}
            saving={pending.has(record.id)}
            allowed={meta.data.allowed.actions}
            onMark={run}
          />
        ) : (
          <StatusTag status={record.attendance} />
        ),
    },
  ];

  return (
    <Flex vertical gap={16} style={{ maxWidth: 1100 }} data-testid="attendance-sheet">
      <LessonHeader lesson={lesson.data} sheet="attendance" />
      {!canMark && <Alert type="info" showIcon title={t('lessonSheets.attendanceReadOnly')} />}
      {rows.length === 0 ? (
        <NoStudyRecords lessonId={id} />
      ) : (
        <Card size="small">
          <Flex vertical gap={12}>
            <Flex justify="space-between" align="center" wrap gap={8}>
              <Summary counts={countAttendance(rows)} total={rows.length} />
              {canMark && allowed('checked') && (
                <Popconfirm
                  title={t('lessonSheets.allCheckedConfirm', { count: replaced })}
                  disabled={replaced === 0}
                  onConfirm={() => void run(everyone, 'checked')}
                  okText={t('lessonSheets.allChecked')}
                  cancelText={t('resource.cancel')}
                >
                  <Button
                    icon={<CheckOutlined />}
                    disabled={busy}
                    onClick={replaced === 0 ? () => void run(everyone, 'checked') : undefined}
                    data-testid="attendance-all-checked"
                  >
                    {t('lessonSheets.allChecked')}
                  </Button>
                </Popconfirm>
              )}
            </Flex>
            {canMark && untouched && (
              <Alert
                type="info"
                showIcon
                title={t('lessonSheets.defaultsHint')}
                data-testid="attendance-defaults"
              />
            )}
            {canMark && (
              <Flex align="center" wrap gap={8} data-testid="attendance-bulk">
                <Typography.Text type={selected.length > 0 ? undefined : 'secondary'}>
                  {selected.length > 0
                    ? t('lessonSheets.selectedTo', { count: selected.length })
                    : t('lessonSheets.selectHint')}
                </Typography.Text>
                {attendanceOrder.map((status) => (
                  <Button
                    key={status}
                    size="small"
                    autoInsertSpace={false}
                    disabled={selected.length === 0 || busy || !allowed(status)}
                    onClick={() => void run(selected, status)}
                    data-testid={`attendance-bulk-${status}`}
                  >
                    {t(`lessonSheets.status.${status}`)}
                  </Button>
                ))}
                {selected.length > 0 && (
                  <>
                    <Divider orientation="vertical" />
                    <Button size="small" type="link" onClick={() => setSelected([])}>
                      {t('resource.clearSelection')}
                    </Button>
                  </>
                )}
              </Flex>
            )}
            <Table<StudyRecord>
              rowKey="id"
              size="small"
              columns={columns}
              dataSource={rows}
              pagination={false}
              rowSelection={
                canMark
                  ? {
                      selectedRowKeys: selected,
                      onChange: (keys) => setSelected(keys.map(Number)),
                      columnWidth: 48,
                    }
                  : undefined
              }
              data-testid="attendance-table"
            />
          </Flex>
        </Card>
      )}
    </Flex>
  );
}

/** The counts of the lesson, each in its status's colour, and how many are not marked yet. */
function Summary({ counts, total }: { counts: AttendanceCounts; total: number }) {
  const { t } = useTranslation();
  return (
    <Flex align="center" wrap gap={8} data-testid="attendance-summary">
      <Typography.Text strong>{t('lessonSheets.students', { count: total })}</Typography.Text>
      <Space size={4} wrap>
        {attendanceOrder.map((status) => (
          <Tag
            key={status}
            color={counts[status] > 0 ? attendanceColors[status] : undefined}
            variant="outlined"
          >
            {t(`lessonSheets.status.${status}`)} {counts[status]}
          </Tag>
        ))}
      </Space>
    </Flex>
  );
}

/** A status as a read-only sheet shows it. */
function StatusTag({ status }: { status: Attendance }) {
  const { t } = useTranslation();
  return <Tag color={attendanceColors[status]}>{t(`lessonSheets.status.${status}`)}</Tag>;
}

type StatusChoiceProps = {
  recordId: number;
  name: string;
  value: Attendance;
  saving: boolean;
  allowed: Record<string, boolean>;
  onMark: (ids: number[], status: Attendance, name?: string) => Promise<void>;
};

/** One student's five buttons, the current status filled in its colour, a spinner while it saves. */
const StatusChoice = memo(function StatusChoice({
  recordId,
  name,
  value,
  saving,
  allowed,
  onMark,
}: StatusChoiceProps) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  return (
    <Flex align="center" gap={8}>
      <Radio.Group
        optionType="button"
        buttonStyle="solid"
        value={value}
        disabled={saving}
        onChange={(event) => void onMark([recordId], event.target.value as Attendance, name)}
        aria-label={t('lessonSheets.attendanceOf', { name })}
        data-testid={`attendance-${recordId}`}
        options={attendanceOrder.map((status) => {
          const color = token[`${attendanceColors[status]}6`];
          return {
            value: status,
            label: t(`lessonSheets.status.${status}`),
            disabled: !allowed[markAction(status)],
            style:
              status === value
                ? { background: color, borderColor: color, color: token.colorWhite }
                : undefined,
          };
        })}
      />
      {saving && <Spin size="small" data-testid={`attendance-saving-${recordId}`} />}
    </Flex>
  );
});
