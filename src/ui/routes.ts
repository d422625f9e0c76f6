// The shell's screens. Hash routes carry only the screen name: nothing sensitive ever goes in a URL.

export interface Route {
  id: string;
  label: string;
  /** What the screen will do, and the issue that builds it, shown while it is not built yet. */
  pending: string;
  /** Reached from the header (the signed-in user's name), not the navigation bar. */
  hidden?: boolean;
}

export const ROUTES: readonly Route[] = [
  {
    id: 'patrol',
    label: 'Patrol',
    pending: '',
  },
  {
    id: 'hits',
    label: 'Hits',
    pending: '',
  },
  {
    id: 'search',
    label: 'Search',
    pending: 'Purpose-bound search of stored reads by plate, partial plate, time and place.',
  },
  {
    id: 'hotlists',
    label: 'Hot lists',
    pending: 'CLEW, NCIC and CSV imports, daily refresh and approved local entries (issue #6).',
  },
  {
    id: 'admin',
    label: 'Admin',
    pending: '',
  },
  {
    id: 'audit',
    label: 'Audit',
    pending: '',
  },
  { id: 'account', label: 'Account', pending: '', hidden: true },
];

export const DEFAULT_ROUTE = 'patrol';

export function routeFromHash(hash: string): string {
  const id = hash.replace(/^#\/?/, '');
  return ROUTES.some((r) => r.id === id) ? id : DEFAULT_ROUTE;
}
