import {
  classType as classTypeEnum,
  customerSource,
  education as educationEnum,
  experience as experienceEnum,
  gender as genderEnum,
} from '../../db/schema/enums.ts';
import type { Profile } from './customers.ts';
import { type CourseName, demoCourses } from './teaching.ts';
import {
  COMPANIES,
  CUSTOMER_NOTES,
  GIVEN_FEMALE,
  GIVEN_MALE,
  item,
  MAJORS,
  PHONE_PREFIXES,
  type Random,
  SALARIES,
  SCHOOLS,
  SURNAMES,
  WECHAT_STEMS,
} from './words.ts';

const sourceWeights = [
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
] as const;
const educationWeights = [
  ['key_university', 6],
  ['regular_university', 24],
  ['independent_college', 8],
  ['private_university', 8],
  ['junior_college', 30],
  ['private_junior_college', 10],
  ['high_school', 10],
  ['other', 4],
] as const;
const experienceWeights = [
  ['student', 12],
  ['fresh_graduate', 18],
  ['under_half_year', 12],
  ['half_to_one_year', 14],
  ['one_to_three_years', 24],
  ['three_to_five_years', 12],
  ['over_five_years', 8],
] as const;

/**
 * Draws the profiles of new customers from `rng`, each with a name and contacts nobody else has
 * (the named customers' names are taken from the start).
 */
export function profiles(rng: Random): (overrides?: Partial<Profile>) => Profile {
  const usedNames = new Set(['龙泰', '小东北', '泰哥']);
  const usedContacts = new Set<string>();
  let profileIndex = 0;

  const unique = (make: () => string) => {
    for (;;) {
      const value = make();
      if (!usedContacts.has(value)) {
        usedContacts.add(value);
        return value;
      }
    }
  };
  const phone = () => unique(() => rng.pick(PHONE_PREFIXES) + rng.digits(8));
  const qq = () => unique(() => String(rng.int(1, 9)) + rng.digits(rng.int(5, 9)));
  const wechat = () => unique(() => `${rng.pick(WECHAT_STEMS)}_${rng.digits(rng.int(3, 6))}`);
  /** Every code appears once among the first customers; the rest follow the weights. */
  const cover = <T>(codes: readonly T[], weights: readonly (readonly [T, number])[], i: number): T =>
    i < codes.length ? item(codes, i) : rng.weighted(weights);

  function profile(overrides: Partial<Profile> = {}): Profile {
    const i = profileIndex++;
    const gender =
      i < 2
        ? item(genderEnum.codes, i)
        : rng.weighted([
            ['male', 62],
            ['female', 36],
            [null, 2],
          ] as const);
    let name = overrides.name;
    while (name === undefined || (overrides.name === undefined && usedNames.has(name))) {
      const given = gender === 'female' ? rng.pick(GIVEN_FEMALE) : rng.pick(GIVEN_MALE);
      name = rng.pick(SURNAMES) + given;
    }
    usedNames.add(name);
    const education = cover(educationEnum.codes, [...educationWeights, [null, 4]], i);
    const experience = cover(experienceEnum.codes, [...experienceWeights, [null, 3]], i);
    const workStatus =
      experience === 'student' || experience === 'fresh_graduate'
        ? 'unemployed'
        : experience === null
          ? null
          : rng.chance(0.72)
            ? 'employed'
            : 'unemployed';
    const noSchool = education === 'high_school' || education === 'other' || education === null;
    const hasPhone = rng.chance(0.88);
    const hasQq = rng.chance(0.35);
    const hasWechat = rng.chance(0.3);
    const contacts = {
      phone: hasPhone || (!hasQq && !hasWechat) ? phone() : null,
      qq: hasQq ? qq() : null,
      wechat: hasWechat ? wechat() : null,
    };
    const interested: CourseName[] = [
      rng.weighted([
        ['Python全栈', 4],
        ['Linux运维', 2],
        ['前端开发', 3],
        ['数据分析', 2],
      ] as const),
    ];
    if (rng.chance(0.3)) {
      const second = rng.pick(demoCourses);
      if (!interested.includes(second)) interested.push(second);
    }
    return {
      name,
      gender,
      ...contacts,
      education,
      graduationSchool: noSchool ? '' : rng.pick(SCHOOLS),
      major: noSchool ? '' : rng.pick(MAJORS),
      experience,
      workStatus,
      company: workStatus === 'employed' ? rng.pick(COMPANIES) : '',
      salary: workStatus === 'employed' ? rng.pick(SALARIES) : '',
      source: cover(customerSource.codes, sourceWeights, i),
      classType: cover(
        classTypeEnum.codes,
        [
          ['fulltime', 60],
          ['weekend', 22],
          ['online', 14],
          [null, 4],
        ],
        i,
      ),
      note: rng.pick(CUSTOMER_NOTES),
      interested,
      ...overrides,
    };
  }

  return profile;
}
