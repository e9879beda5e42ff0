import { describe, expect, it } from 'vitest';
import { ADMIN_ROLE } from './catalogue.ts';
import {
  type Grantor,
  refuseAccountChange,
  refuseRoleAssignment,
  refuseRoleChange,
  refuseRoleRemoval,
} from './delegation.ts';

/** A user manager and role keeper who is not an administrator. */
const delegate: Grantor = {
  admin: false,
  codes: new Set(['user.list', 'user.update', 'role.list', 'role.update', 'customer.list']),
};
const administrator: Grantor = {
  admin: true,
  codes: new Set(['user.update', 'role.update', 'customer.list']),
};

const adminRole = { code: ADMIN_ROLE, codes: ['customer.list'] };
const lister = { code: 'lister', codes: ['customer.list'] };
const manager = { code: 'sales_manager', codes: ['customer.list', 'customer.view_all', 'customer.assign'] };

describe('giving users roles', () => {
  it('allows roles whose every code the grantor holds, and taking any other role away', () => {
    expect(refuseRoleAssignment(delegate, [lister], [])).toBeNull();
    expect(refuseRoleAssignment(delegate, [], [manager])).toBeNull();
  });

  it('refuses a role carrying codes the grantor lacks, naming them', () => {
    expect(refuseRoleAssignment(delegate, [lister, manager], [])).toEqual({
      code: 'grant_not_held',
      codes: ['customer.assign', 'customer.view_all'],
    });
  });

  it('leaves the admin role, given or taken, to administrators', () => {
    // Even an admin role that grants nothing the delegate lacks: it is who has it that matters.
    expect(refuseRoleAssignment(delegate, [adminRole], [])).toEqual({ code: 'admin_only' });
    expect(refuseRoleAssignment(delegate, [], [adminRole])).toEqual({ code: 'admin_only' });
    expect(refuseRoleAssignment(administrator, [adminRole], [lister])).toBeNull();
  });

  it('holds administrators to what they hold, like anyone', () => {
    expect(refuseRoleAssignment(administrator, [manager], [])).toMatchObject({ code: 'grant_not_held' });
  });
});

describe('changing roles', () => {
  it('allows adding held codes and removing any', () => {
    expect(
      refuseRoleChange(delegate, lister, { code: 'lister', codes: ['customer.list', 'user.list'] }),
    ).toBe(null);
    expect(refuseRoleChange(delegate, manager, { code: 'sales_manager', codes: ['customer.list'] })).toBe(
      null,
    );
    // Keeping codes the grantor lacks is not granting them.
    expect(
      refuseRoleChange(delegate, manager, { code: 'sales_manager', codes: [...manager.codes, 'user.list'] }),
    ).toBeNull();
  });

  it('refuses adding codes the grantor lacks, to a new role or an existing one (their own included)', () => {
    expect(refuseRoleChange(delegate, null, manager)).toEqual({
      code: 'grant_not_held',
      codes: ['customer.assign', 'customer.view_all'],
    });
    const own = { code: 'keeper', codes: [...delegate.codes] };
    expect(refuseRoleChange(delegate, own, { ...own, codes: [...own.codes, 'settings.pool'] })).toEqual({
      code: 'grant_not_held',
      codes: ['settings.pool'],
    });
  });

  it('leaves the admin role — its codes, its name, becoming it — to administrators', () => {
    expect(refuseRoleChange(delegate, adminRole, { code: ADMIN_ROLE, codes: [] })).toEqual({
      code: 'admin_only',
    });
    expect(refuseRoleChange(delegate, adminRole, { code: 'not_admin', codes: adminRole.codes })).toEqual({
      code: 'admin_only',
    });
    expect(refuseRoleChange(delegate, lister, { code: ADMIN_ROLE, codes: lister.codes })).toEqual({
      code: 'admin_only',
    });
    expect(refuseRoleChange(delegate, null, { code: ADMIN_ROLE, codes: [] })).toEqual({ code: 'admin_only' });
    expect(refuseRoleChange(administrator, adminRole, { code: ADMIN_ROLE, codes: [] })).toBeNull();
  });

  it('leaves deleting the admin role to administrators', () => {
    expect(refuseRoleRemoval(delegate, adminRole)).toEqual({ code: 'admin_only' });
    expect(refuseRoleRemoval(delegate, manager)).toBeNull();
    expect(refuseRoleRemoval(administrator, adminRole)).toBeNull();
  });
});

describe('changing accounts', () => {
  const consultant = { admin: false, codes: ['customer.list'] };
  const salesManager = { admin: false, codes: manager.codes };
  const admin = { admin: true, codes: ['customer.list'] };

  it('leaves every change to an administrator’s account to administrators', () => {
    expect(refuseAccountChange(delegate, [consultant, admin], false)).toEqual({ code: 'admin_only' });
    expect(refuseAccountChange(administrator, [admin], true)).toBeNull();
  });

  it('allows editing, disabling or deleting anyone else', () => {
    expect(refuseAccountChange(delegate, [consultant, salesManager], false)).toBeNull();
  });

  it('refuses a takeover (new password, enabling) of an account holding more than the grantor', () => {
    expect(refuseAccountChange(delegate, [consultant], true)).toBeNull();
    expect(refuseAccountChange(delegate, [consultant, salesManager], true)).toEqual({
      code: 'user_holds_more',
      codes: ['customer.assign', 'customer.view_all'],
    });
  });
});
