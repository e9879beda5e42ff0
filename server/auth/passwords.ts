import { hash, verify } from '@node-rs/argon2';

// argon2id (the library's default algorithm) at OWASP's baseline: 19 MiB, 2 passes (its time per
// hash: docs/benchmarks.md, "Figures moved out of the code's comments").
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

// Verified against when the username is unknown, so both cases take the same time.
let dummyHash: Promise<string> | null = null;

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  if (passwordHash === null) {
    dummyHash ??= hashPassword('not-a-real-password');
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;

export type PasswordProblem = {
  message: string;
  code: 'password_too_short' | 'too_long' | 'password_is_username';
  params?: { limit: number };
};

/** Returns what is wrong with a new password, or null when it is acceptable. */
export function passwordProblem(password: string, username: string): PasswordProblem | null {
  if (password.length < PASSWORD_MIN) {
    return {
      message: `The password must be at least ${PASSWORD_MIN} characters`,
      code: 'password_too_short',
      params: { limit: PASSWORD_MIN },
    };
  }
  if (password.length > PASSWORD_MAX) {
    return {
      message: `The password must be at most ${PASSWORD_MAX} characters`,
      code: 'too_long',
      params: { limit: PASSWORD_MAX },
    };
  }
  if (password.toLowerCase() === username.toLowerCase())
    return { message: 'The password must not be the username', code: 'password_is_username' };
  return null;
}
