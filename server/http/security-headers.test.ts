import { describe, expect, it } from 'vitest';
import { securityHeaders } from './security-headers.ts';

describe('security headers worked out once', () => {
  it("are helmet's for the options: the policy as written, HSTS only when asked", () => {
    const headers = new Map(
      securityHeaders({ contentSecurityPolicy: { directives: { defaultSrc: ["'self'"] } }, hsts: false }),
    );
    expect(headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(headers.has('strict-transport-security')).toBe(false);
    expect(new Map(securityHeaders({})).get('strict-transport-security')).toMatch(/max-age=\d+/);
  });
});
