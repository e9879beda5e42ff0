import {
  classType as classTypeEnum,
  customerSource,
  education as educationEnum,
  experience as experienceEnum,
  gender as genderEnum,
} from '../../db/schema/enums.ts';
import {
  CLASS_TYPE_WEIGHTS,
  EDUCATION_WEIGHTS,
  EXPERIENCE_WEIGHTS,
  GENDER_WEIGHTS,
  hasNoSchool,
  SOURCE_WEIGHTS,
  workStatusFor,
} from '../shared/profile.ts';
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
} from '../shared/words.ts';
import type { Profile } from './customers.ts';
import { COURSE_INTEREST, type CourseName, demoCourses } from './teaching.ts';

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
    const gender = i < 2 ? item(genderEnum.codes, i) : rng.weighted(GENDER_WEIGHTS);
    let name = overrides.name;
    while (name === undefined || (overrides.name === undefined && usedNames.has(name))) {
      const given = gender === 'female' ? rng.pick(GIVEN_FEMALE) : rng.pick(GIVEN_MALE);
      name = rng.pick(SURNAMES) + given;
    }
    usedNames.add(name);
    const education = cover(educationEnum.codes, EDUCATION_WEIGHTS, i);
    const experience = cover(experienceEnum.codes, EXPERIENCE_WEIGHTS, i);
    const workStatus = workStatusFor(experience, rng);
    const noSchool = hasNoSchool(education);
    const hasPhone = rng.chance(0.88);
    const hasQq = rng.chance(0.35);
    const hasWechat = rng.chance(0.3);
    const contacts = {
      phone: hasPhone || (!hasQq && !hasWechat) ? phone() : null,
      qq: hasQq ? qq() : null,
      wechat: hasWechat ? wechat() : null,
    };
    const interested: CourseName[] = [rng.weighted(COURSE_INTEREST)];
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
      source: cover(customerSource.codes, SOURCE_WEIGHTS, i),
      classType: cover(classTypeEnum.codes, CLASS_TYPE_WEIGHTS, i),
      note: rng.pick(CUSTOMER_NOTES),
      interested,
      ...overrides,
    };
  }

  return profile;
}
