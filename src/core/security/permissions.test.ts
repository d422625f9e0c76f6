import { describe, expect, it } from 'vitest';
import {
  can,
  isRole,
  PERMISSIONS,
  permissionsOf,
  ROLE_PERMISSIONS,
  ROLES,
  type Permission,
  type Role,
} from './permissions';

describe('permission table', () => {
  it('every role maps only to known permissions, and every permission belongs to some role', () => {
    const granted = new Set(Object.values(ROLE_PERMISSIONS).flat());
    for (const p of granted) expect(Object.keys(PERMISSIONS)).toContain(p);
    for (const p of Object.keys(PERMISSIONS)) expect(granted, p).toContain(p);
    expect(Object.keys(ROLE_PERMISSIONS).sort()).toEqual([...ROLES].sort());
  });

  it.each<[Role, Permission, boolean]>([
    ['operator', 'capture.run', true],
    ['operator', 'reads.search', false],
    ['operator', 'hotlists.approve', false],
    ['investigator', 'reads.search', true],
    ['investigator', 'users.manage', false],
    ['administrator', 'users.manage', true],
    ['administrator', 'hotlists.approve', true],
    ['administrator', 'reads.search', false],
    ['supervisor', 'hotlists.approveEdit', true],
    ['supervisor', 'hotlists.approve', false],
    ['auditor', 'audit.verify', true],
    ['auditor', 'reads.view', false],
    ['auditor', 'users.manage', false],
    ['auditor', 'policy.change', false],
  ])('%s → %s: %s', (role, permission, expected) => {
    expect(can([role], permission)).toBe(expected);
  });

  it('no role can edit or delete the access log: there is no such permission', () => {
    for (const p of Object.keys(PERMISSIONS)) expect(p).not.toMatch(/^audit\.(edit|delete|purge)/);
  });

  it('several roles grant the union of their permissions', () => {
    const both = permissionsOf(['operator', 'auditor']);
    expect(both.has('capture.run')).toBe(true);
    expect(both.has('audit.verify')).toBe(true);
    expect(both.has('users.manage')).toBe(false);
    expect(can([], 'capture.run')).toBe(false);
  });

  it('recognises role names', () => {
    expect(isRole('auditor')).toBe(true);
    expect(isRole('superuser')).toBe(false);
  });
});
