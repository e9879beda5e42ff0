import type { classType, customerSource, education, experience, gender } from '../../db/schema/enums.ts';
import type { Random } from './words.ts';

/**
 * How a customer's background is spread: the demo school and the scale school draw from these same
 * shares (each with its own way of drawing, whose order of draws is its data), so that the benchmark's
 * school looks like the one people sign in to. The compiler checks every code against the enumerations.
 */
type Weights<Code extends string> = readonly (readonly [Code | null, number])[];
type CodeOf<E extends { codes: readonly string[] }> = E['codes'][number];

export const GENDER_WEIGHTS = [
  ['male', 62],
  ['female', 36],
  [null, 2],
] as const satisfies Weights<CodeOf<typeof gender>>;

export const SOURCE_WEIGHTS = [
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
] as const satisfies Weights<CodeOf<typeof customerSource>>;

export const EDUCATION_WEIGHTS = [
  ['key_university', 6],
  ['regular_university', 24],
  ['independent_college', 8],
  ['private_university', 8],
  ['junior_college', 30],
  ['private_junior_college', 10],
  ['high_school', 10],
  ['other', 4],
  [null, 4],
] as const satisfies Weights<CodeOf<typeof education>>;

export const EXPERIENCE_WEIGHTS = [
  ['student', 12],
  ['fresh_graduate', 18],
  ['under_half_year', 12],
  ['half_to_one_year', 14],
  ['one_to_three_years', 24],
  ['three_to_five_years', 12],
  ['over_five_years', 8],
  [null, 3],
] as const satisfies Weights<CodeOf<typeof experience>>;

export const CLASS_TYPE_WEIGHTS = [
  ['fulltime', 60],
  ['weekend', 22],
  ['online', 14],
  [null, 4],
] as const satisfies Weights<CodeOf<typeof classType>>;

/**
 * Students and fresh graduates are looking for work; of those with experience most have a job.
 * Draws from `rng` only when experience leaves it open.
 */
export function workStatusFor(experience: string | null, rng: Random): 'employed' | 'unemployed' | null {
  if (experience === 'student' || experience === 'fresh_graduate') return 'unemployed';
  if (experience === null) return null;
  return rng.chance(0.72) ? 'employed' : 'unemployed';
}

/** Only those who went to a university or college have a school and a major to name. */
export const hasNoSchool = (education: string | null) =>
  education === 'high_school' || education === 'other' || education === null;
