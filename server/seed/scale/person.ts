import { hasNoSchool, workStatusFor } from '../shared/profile.ts';
import {
  COMPANIES,
  GIVEN_FEMALE,
  GIVEN_MALE,
  item,
  PHONE_PREFIXES,
  type Random,
  SURNAMES,
  WECHAT_STEMS,
} from '../shared/words.ts';
import { pickEducation, pickExperience, pickGender, pickSource } from './choices.ts';

/** Contacts from the row number through bijections, so they are unique without bookkeeping. */
function phoneOf(i: number): string {
  const prefix = item(PHONE_PREFIXES, i % PHONE_PREFIXES.length);
  const q = Math.floor(i / PHONE_PREFIXES.length);
  return prefix + String((q * 7_654_321 + 12_345_679) % 100_000_000).padStart(8, '0');
}
const qqOf = (i: number) => String(100_000_000 + ((i * 48_271 + 9_973) % 900_000_000));
const WECHAT_SPACE = 36 ** 6;
const wechatOf = (i: number) =>
  `${item(WECHAT_STEMS, i % WECHAT_STEMS.length)}_${((i * 48_271 + 77_777) % WECHAT_SPACE).toString(36).padStart(6, '0')}`;

/**
 * Name, background and contacts of the customer on row `i`. Only the draws that come before the
 * history's payments: the rest of the profile is drawn after them, and the order of draws is the data.
 */
export function person(rng: Random, i: number, referable: { lo: number; n: number }) {
  const gender = pickGender(rng.next());
  const name = rng.pick(SURNAMES) + rng.pick(gender === 'female' ? GIVEN_FEMALE : GIVEN_MALE);
  const education = pickEducation(rng.next());
  const experience = pickExperience(rng.next());
  const workStatus = workStatusFor(experience, rng);
  const noSchool = hasNoSchool(education);
  const hasQq = rng.chance(0.35);
  const hasWechat = rng.chance(0.3);
  const hasPhone = rng.chance(0.88) || (!hasQq && !hasWechat);
  const source = pickSource(rng.next());
  const referralFrom =
    source === 'referral' && referable.n > 0 ? referable.lo + Math.floor(rng.next() * referable.n) : null;
  const company = workStatus === 'employed' ? rng.pick(COMPANIES) : '';
  return {
    name,
    gender,
    education,
    experience,
    workStatus,
    noSchool,
    phone: hasPhone ? phoneOf(i) : null,
    qq: hasQq ? qqOf(i) : null,
    wechat: hasWechat ? wechatOf(i) : null,
    source,
    referralFrom,
    company,
  };
}
