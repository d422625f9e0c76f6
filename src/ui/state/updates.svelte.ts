// The service-worker update flow. A new version installs in the background and waits; the officer chooses when
// to switch. Nothing reloads the page unless the user asked for the update.
import { Workbox } from 'workbox-window';

const UPDATE_CHECK_MS = 30 * 60_000;

export class UpdateState {
  /** A new version is installed and waiting. */
  available = $state(false);
  /** The app is cached for offline use. */
  offlineReady = $state(false);
  /** The user chose "Later"; the status bar keeps a button to bring the prompt back. */
  deferred = $state(false);
  applying = $state(false);
  error = $state<string | null>(null);
  private wb: Workbox | null = null;

  start(): () => void {
    if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return () => {};
    const wb = new Workbox('/sw.js', { scope: '/', type: 'classic' });
    this.wb = wb;
    wb.addEventListener('waiting', () => (this.available = true));
    wb.addEventListener('activated', (e) => {
      if (!e.isUpdate) this.offlineReady = true;
    });
    wb.register().catch(
      (e: unknown) => (this.error = `Offline support unavailable: ${(e as Error).message}`),
    );
    const check = () => void wb.update().catch(() => {});
    const timer = setInterval(check, UPDATE_CHECK_MS);
    addEventListener('online', check);
    return () => {
      clearInterval(timer);
      removeEventListener('online', check);
    };
  }

  /** The user chose to update: activate the waiting worker, then reload once it controls the page. */
  apply(): void {
    const wb = this.wb;
    if (!wb || this.applying) return;
    this.applying = true;
    wb.addEventListener('controlling', () => location.reload());
    wb.messageSkipWaiting();
  }

  defer(): void {
    this.deferred = true;
  }

  reconsider(): void {
    this.deferred = false;
  }
}
