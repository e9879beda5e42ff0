import { isPublic, type PoolRules, releaseAtFor } from '../../modules/pool/rules.ts';
import { CUSTOMER_NOTES, item, MAJORS, Random, SALARIES, SCHOOLS } from '../shared/words.ts';
import { type BulkRows, newBatch } from './bulk.ts';
import { pickClassType, pickCourse } from './choices.ts';
import { History } from './history.ts';
import { type BulkTable, type ClassInfo, DAY, type Owner, type ScaleState, SPAN_DAYS } from './model.ts';
import { person } from './person.ts';
import { planPayments, writeEnrolment, writeHistory } from './records.ts';

// ---------------------------------------------------------------------------------------------------
// Customers and their history

export class Generator {
  readonly states: Record<ScaleState, number> = {
    following: 0,
    expired_unswept: 0,
    released: 0,
    unassigned: 0,
    enrolled: 0,
  };
  private readonly rng = new Random(20_250_601);
  private readonly at: number;
  private readonly atDate: Date;
  private readonly rules: PoolRules;
  private readonly total: number;
  private readonly owners: readonly Owner[];
  private readonly history: History;
  private readonly courseIds: readonly number[];
  private readonly financeId: number;
  /** Rows generated so far in each table. */
  get counts(): Record<BulkTable, number> {
    return { ...this.lastId };
  }

  /** The last id given in each table (ids start at 1: the tables were empty). */
  private readonly lastId: Record<BulkTable, number> = {
    customers: 0,
    customer_courses: 0,
    customer_distributions: 0,
    consult_records: 0,
    payment_records: 0,
    students: 0,
    student_classes: 0,
  };

  constructor(input: {
    at: number;
    rules: PoolRules;
    total: number;
    owners: readonly Owner[];
    classes: readonly ClassInfo[];
    courseIds: readonly number[];
    financeId: number;
  }) {
    this.at = input.at;
    this.atDate = new Date(input.at);
    this.rules = input.rules;
    this.total = input.total;
    this.owners = input.owners;
    // One sequence of numbers for the whole customer, history included.
    this.history = new History(this.rng, input);
    this.courseIds = input.courseIds;
    this.financeId = input.financeId;
  }

  /**
   * Customers `from` … `to − 1` (ids `from + 1` …) with everything that hangs off them. Referrals point
   * at customers with ids up to `referableBelow` (committed before this batch is written), or, when
   * there are none, at earlier customers of the same batch (written by the same statement).
   */
  batch(from: number, to: number, referableBelow: number): Record<BulkTable, BulkRows> {
    const rows = newBatch(this.lastId);
    for (let i = from; i < to; i++) {
      const referable = referableBelow > 0 ? { lo: 1, n: referableBelow } : { lo: from + 1, n: i - from };
      this.customer(i, rows, referable);
    }
    return rows;
  }

  private customer(i: number, rows: Record<BulkTable, BulkRows>, referable: { lo: number; n: number }): void {
    const { rng, at } = this;
    const id = i + 1;
    const step = (SPAN_DAYS * DAY) / this.total;
    const createdAt = Math.round(at - SPAN_DAYS * DAY + (i + rng.next()) * step);
    const first = Math.round(createdAt + rng.between(0, 0.1) * DAY);

    const { state, periods, enrolment } = this.history.plan(createdAt, first);
    this.states[state]++;

    // The customer row.
    const last = periods.at(-1);
    const owned = last !== undefined && (last.status === 'following' || last.status === 'enrolled');
    const status = enrolment ? 'enrolled' : 'unregistered';
    const consultantId = owned ? item(this.owners, last.owner).id : null;
    const recvAt = owned ? last.start : null;
    const lastConsultAt = owned ? (last.consults.at(-1) ?? last.start) : null;
    const fields = {
      status,
      consultantId,
      recvAt: recvAt === null ? null : new Date(recvAt),
      lastConsultAt: lastConsultAt === null ? null : new Date(lastConsultAt),
    };
    const publicSince = owned ? null : new Date(last?.end ?? createdAt);
    const releaseAt = releaseAtFor({ ...fields, publicSince }, this.rules);
    // Guard: the state is what the live rule says.
    const live = isPublic(fields, this.rules, this.atDate);
    if (live !== (state === 'expired_unswept' || state === 'released' || state === 'unassigned')) {
      throw new Error(`scale data: customer ${id} (${state}) is ${live ? '' : 'not '}public`);
    }

    const who = person(rng, i, referable);

    let updatedAt = createdAt;
    for (const p of periods) {
      updatedAt = Math.max(updatedAt, p.end ?? p.start, p.consults.at(-1) ?? p.start);
    }
    const payments = enrolment ? planPayments(rng, at, enrolment) : [];
    for (const p of payments) updatedAt = Math.max(updatedAt, p.confirmedAt ?? p.paidAt);

    const customerId = rows.customers.add(
      who.name,
      who.phone,
      who.qq,
      who.wechat,
      who.gender,
      who.education,
      who.noSchool ? '' : rng.pick(SCHOOLS),
      who.noSchool ? '' : rng.pick(MAJORS),
      who.experience,
      who.workStatus,
      who.company,
      who.workStatus === 'employed' ? rng.pick(SALARIES) : '',
      who.source,
      who.referralFrom,
      pickClassType(rng.next()),
      rng.pick(CUSTOMER_NOTES),
      status,
      consultantId,
      recvAt,
      lastConsultAt,
      releaseAt === null ? null : releaseAt.getTime(),
      createdAt,
      updatedAt,
    );
    if (customerId !== id) throw new Error(`scale data: customer ${id} got id ${customerId}`);

    // Interested courses: the enrolled class's course first.
    const interested = [enrolment ? enrolment.cls.courseIndex : pickCourse(rng.next())];
    if (rng.chance(0.3)) {
      const second = rng.int(0, this.courseIds.length - 1);
      if (!interested.includes(second)) interested.push(second);
    }
    for (const c of interested) rows.customer_courses.add(id, item(this.courseIds, c), createdAt, createdAt);

    writeHistory(rows, rng, { id, periods, enrolment, owners: this.owners });
    if (enrolment) {
      writeEnrolment(rows, rng, {
        id,
        enrolment,
        payments,
        company: who.company,
        consultantId,
        financeId: this.financeId,
      });
    }
  }
}
