import type { Via } from '../demo/customers.ts';
import { COURSE_INTEREST, demoCourses } from '../demo/teaching.ts';
import {
  CLASS_TYPE_WEIGHTS,
  EDUCATION_WEIGHTS,
  EXPERIENCE_WEIGHTS,
  GENDER_WEIGHTS,
  SOURCE_WEIGHTS,
} from '../shared/profile.ts';
import { item } from '../shared/words.ts';
import type { ScaleState } from './model.ts';

/** A weighted choice over fixed entries, by binary search on cumulative weights. */
export function chooser<T>(entries: readonly (readonly [T, number])[]): (r: number) => T {
  const values = entries.map(([v]) => v);
  const cumulative: number[] = [];
  let sum = 0;
  for (const [, w] of entries) {
    sum += w;
    cumulative.push(sum);
  }
  return (r: number) => {
    const x = r * sum;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (x < item(cumulative, mid)) hi = mid;
      else lo = mid + 1;
    }
    return item(values, lo);
  };
}

/** Shares of the customers by state (the young ones that cannot yet be in a state take another). */
const STATE_WEIGHTS = [
  ['following', 45],
  ['expired_unswept', 5],
  ['released', 25],
  ['unassigned', 10],
  ['enrolled', 15],
] as const satisfies readonly (readonly [ScaleState, number])[];

export const pickState = chooser<ScaleState>(STATE_WEIGHTS);
export const pickGender = chooser<string | null>(GENDER_WEIGHTS);
export const pickSource = chooser(SOURCE_WEIGHTS);
export const pickEducation = chooser<string | null>(EDUCATION_WEIGHTS);
export const pickExperience = chooser<string | null>(EXPERIENCE_WEIGHTS);
export const pickClassType = chooser<string | null>(CLASS_TYPE_WEIGHTS);
/** A course's index in `demoCourses`, which is the order the scale school's courses are written in. */
export const pickCourse = chooser(
  COURSE_INTEREST.map(([name, weight]) => [demoCourses.indexOf(name), weight] as const),
);
export const pickChannel = chooser([
  ['phone', 50],
  ['wechat', 25],
  ['qq', 10],
  ['visit', 10],
  ['other', 5],
] as const);
export const pickFirstVia = chooser<Via>([
  ['assigned', 6],
  ['imported', 3],
  ['manual', 1],
]);
export const pickLaterVia = chooser<Via>([
  ['grabbed', 4],
  ['manual', 1],
]);
export const pickConsults = chooser([
  [0, 15],
  [1, 25],
  [2, 25],
  [3, 20],
  [4, 15],
] as const);
export const pickChainLength = chooser([
  [1, 60],
  [2, 28],
  [3, 12],
] as const);
export const pickPayments = chooser([
  ['both', 45],
  ['tuition', 35],
  ['deposit', 20],
] as const);
