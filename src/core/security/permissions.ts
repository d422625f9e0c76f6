// Who may do what: the one permission table. Handlers name a permission; the dispatcher checks it against the
// signed-in user's roles. A user may hold several roles; permissions are the union.

export const ROLES = ['operator', 'investigator', 'supervisor', 'administrator', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  operator: 'Operator (runs the ALPR on patrol or at a site)',
  investigator: 'Investigator (searches stored data for a stated purpose)',
  supervisor: 'Supervisor (approves changes to local hot-list entries by their members)',
  administrator: 'ALPR Administrator (users, hot lists, sharing, policy)',
  auditor: 'Auditor (reads and verifies the access log; cannot change anything)',
};

export const PERMISSIONS = {
  'capture.run': 'Start and stop cameras and capture reads',
  'hits.view': 'See hits raised on this unit',
  'hits.verify': 'Record hit verification and disposition',
  'reads.view': 'Open a stored read (purpose required)',
  'reads.search': 'Search stored reads (purpose required)',
  'reads.correct': 'Mark a misread and record a correction',
  'evidence.export': 'Export reads as evidence (purpose required)',
  'holds.manage': 'Place and release legal holds',
  'hotlists.view': 'See hot lists and their freshness',
  'hotlists.import': 'Import general hot lists',
  'hotlists.enter': 'Enter a local hot plate (pending approval)',
  'hotlists.approve': 'Approve local hot-list entries',
  'hotlists.approveEdit': "Approve edits to a member's local entry",
  'users.manage': 'Create, change, deactivate and unlock users; record training',
  'policy.change': 'Adopt a new revision of the agency policy',
  'sharing.manage': 'Record, approve and release sharing requests',
  'audit.view': 'Read and filter the access log',
  'audit.verify': 'Verify the access log chain and export it',
  'keys.recover': 'Use the administrator recovery path for a user who lost their credentials',
} as const;
export type Permission = keyof typeof PERMISSIONS;

/** The table itself. Changing it is a policy decision: keep it small and review it with the agency. */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  operator: ['capture.run', 'hits.view', 'hits.verify', 'hotlists.view', 'hotlists.enter', 'reads.correct'],
  investigator: [
    'hits.view',
    'reads.view',
    'reads.search',
    'reads.correct',
    'evidence.export',
    'hotlists.view',
    'hotlists.enter',
  ],
  supervisor: ['hits.view', 'hotlists.view', 'hotlists.approveEdit', 'holds.manage', 'audit.view'],
  administrator: [
    'hotlists.view',
    'hotlists.import',
    'hotlists.approve',
    'users.manage',
    'policy.change',
    'sharing.manage',
    'holds.manage',
    'keys.recover',
  ],
  // Auditors read the log and verify it. They get no way to change data, the log or users.
  auditor: ['audit.view', 'audit.verify'],
};

export function permissionsOf(roles: readonly Role[]): Set<Permission> {
  const out = new Set<Permission>();
  for (const role of roles) for (const p of ROLE_PERMISSIONS[role] ?? []) out.add(p);
  return out;
}

export function can(roles: readonly Role[], permission: Permission): boolean {
  return roles.some((role) => ROLE_PERMISSIONS[role]?.includes(permission));
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
