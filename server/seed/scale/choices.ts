import type { Via } from '../demo/customers.ts';
import { item } from '../demo/words.ts';
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
export const pickGender = chooser<string | null>([
  ['male', 62],
  ['female', 36],
  [null, 2],
]);
export const pickSource = chooser([
  ['baidu', 18],
  ['website', 12],
  ['qq_group', 10],
  ['tencent_classroom', 10],
  ['referral', 7],
  ['seo', 6],
  ['so360', 4],
  ['sogou', 4],
  ['gdt', 4],
  ['campus_talk', 5],
  ['agent', 3],
  ['cto51', 3],
  ['zhihuitui', 2],
  ['union', 2],
  ['dsp', 2],
  ['other', 3],
] as const);
export const pickEducation = chooser<string | null>([
  ['key_university', 6],
  ['regular_university', 24],
  ['independent_college', 8],
  ['private_university', 8],
  ['junior_college', 30],
  ['private_junior_college', 10],
  ['high_school', 10],
  ['other', 4],
  [null, 4],
]);
export const pickExperience = chooser<string | null>([
  ['student', 12],
  ['fresh_graduate', 18],
  ['under_half_year', 12],
  ['half_to_one_year', 14],
  ['one_to_three_years', 24],
  ['three_to_five_years', 12],
  ['over_five_years', 8],
  [null, 3],
]);
export const pickClassType = chooser<string | null>([
  ['fulltime', 60],
  ['weekend', 22],
  ['online', 14],
  [null, 4],
]);
export const pickCourse = chooser([
  [0, 4],
  [1, 2],
  [2, 3],
  [3, 2],
] as const);
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
