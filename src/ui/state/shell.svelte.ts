// Rune state for the application shell: route, connectivity, storage, app status, theme.
// Components read these fields and call methods; all data comes from the backend worker.
import type { AppStatus, PolicyView, StorageStatus } from '../../backend/api';
import type { DeviceSettings, Theme } from '../../core/settings';
import type { Backend } from '../backend';
import { routeFromHash } from '../routes';

const STATUS_REFRESH_MS = 30_000;

export class ShellState {
  route = $state(routeFromHash(location.hash));
  online = $state(navigator.onLine);
  app = $state<AppStatus | null>(null);
  storage = $state<StorageStatus | null>(null);
  settings = $state<DeviceSettings | null>(null);
  policy = $state<PolicyView | null>(null);
  /** A plain-language problem to show in the status bar (backend unreachable, storage failing…). */
  problem = $state<string | null>(null);
  private prefersDark = $state(matchMedia('(prefers-color-scheme: dark)').matches);

  readonly theme = $derived<Exclude<Theme, 'auto'>>(
    this.settings?.theme === 'day' || this.settings?.theme === 'night'
      ? this.settings.theme
      : this.prefersDark
        ? 'night'
        : 'day',
  );

  constructor(private readonly backend: Backend) {}

  /** Wire browser events and load the first status. Returns a cleanup function. */
  start(): () => void {
    const onHash = () => (this.route = routeFromHash(location.hash));
    const onOnline = () => (this.online = true);
    const onOffline = () => (this.online = false);
    const media = matchMedia('(prefers-color-scheme: dark)');
    const onMedia = (e: MediaQueryListEvent) => (this.prefersDark = e.matches);
    addEventListener('hashchange', onHash);
    addEventListener('online', onOnline);
    addEventListener('offline', onOffline);
    media.addEventListener('change', onMedia);
    const timer = setInterval(() => void this.refreshStorage(), STATUS_REFRESH_MS);
    void this.load();
    return () => {
      removeEventListener('hashchange', onHash);
      removeEventListener('online', onOnline);
      removeEventListener('offline', onOffline);
      media.removeEventListener('change', onMedia);
      clearInterval(timer);
    };
  }

  async load(): Promise<void> {
    try {
      const [app, settings, policy] = await Promise.all([
        this.backend.call('app.status', {}),
        this.backend.call('settings.get', {}),
        this.backend.call('policy.get', {}),
      ]);
      this.app = app;
      this.settings = settings;
      this.policy = policy;
      this.problem = null;
    } catch (e) {
      this.problem = `The app's data service did not start: ${(e as Error).message}`;
    }
    await this.requestPersistence();
  }

  /** Ask once for persistent storage (page-only API); the status bar shows whether it was granted. */
  private async requestPersistence(): Promise<void> {
    try {
      if (navigator.storage?.persist && !(await navigator.storage.persisted()))
        await navigator.storage.persist();
    } catch {
      // Not granted or not supported: the status bar says "not persistent" from the storage status.
    }
    await this.refreshStorage();
  }

  async refreshStorage(): Promise<void> {
    try {
      this.storage = await this.backend.call('storage.status', {});
    } catch (e) {
      this.problem = `Storage status unavailable: ${(e as Error).message}`;
    }
  }

  async setTheme(theme: Theme): Promise<void> {
    try {
      this.settings = await this.backend.call('settings.update', { theme });
    } catch (e) {
      this.problem = `Could not save the theme: ${(e as Error).message}`;
    }
  }

  go(route: string): void {
    location.hash = `#/${route}`;
  }
}
