import type { PoolSettings } from './api.ts';

/** The form's values: the cooldown as a switch and a number, so that turning it off keeps the number. */
export type PoolSettingsValues = Omit<PoolSettings, 'previousOwnerCooldownDays'> & {
  cooldown: boolean;
  cooldownDays: number;
};

/** The fields a refusal's details may name. */
export const fieldKeys = ['followUpDays', 'dealDays', 'dailyGrabLimit', 'maxOwned', 'remindDaysBefore'];

export const toValues = (settings: PoolSettings): PoolSettingsValues => {
  const { previousOwnerCooldownDays, ...rest } = settings;
  return {
    ...rest,
    cooldown: previousOwnerCooldownDays !== null,
    cooldownDays: previousOwnerCooldownDays ?? 7,
  };
};

export const toSettings = ({ cooldown, cooldownDays, ...rest }: PoolSettingsValues): PoolSettings => ({
  ...rest,
  previousOwnerCooldownDays: cooldown ? cooldownDays : null,
});
