import { hash, verify } from '@node-rs/argon2';

// argon2id (the library's default algorithm) at OWASP's baseline: 19 MiB, 2 passes, ~15 ms a hash here.
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

/** Returns what is wrong with a new password, or null when it is acceptable. */
export function passwordProblem(password: string, username: string): string | null {
  if (password.length < 8) return 'The password must be at least 8 characters';
  if (password.length > 256) return 'The password must be at most 256 characters';
  if (password.toLowerCase() === username.toLowerCase()) return 'The password must not be the username';
  return null;
}
