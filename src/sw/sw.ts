// The service worker: precaches the whole app (HTML, JS, CSS, icons, wasm, models) so the unit works offline
// after the first load. Guarantees: a new version installs beside the old one and waits; it takes over only when
// the page asks (the user pressed "Update now"), so an officer mid-hit never loses the screen. Caches carry a
// layout version; caches of other layouts are deleted on activation.
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { cacheNames, clientsClaim, setCacheNameDetails } from 'workbox-core';
import { NavigationRoute, registerRoute } from 'workbox-routing';

declare const self: ServiceWorkerGlobalScope & {
  __WB_MANIFEST: Array<{ url: string; revision: string | null }>;
};

/** Bump when the cache layout changes (not per release: precache entries are revisioned per file). */
const CACHE_LAYOUT = 'v1';
const PREFIX = 'alpr';
setCacheNameDetails({ prefix: PREFIX, suffix: CACHE_LAYOUT });

precacheAndRoute(self.__WB_MANIFEST);
// The first install takes control of open pages at once (there is no older version to disturb); an update only
// activates after SKIP_WAITING, and then the page reloads itself because the user asked for it.
clientsClaim();
cleanupOutdatedCaches();

// Every navigation (any hash route) gets the cached app shell.
registerRoute(new NavigationRoute(createHandlerBoundToURL('/index.html')));

self.addEventListener('message', (event: ExtendableMessageEvent) => {
  const data = event.data as { type?: unknown } | null;
  if (data?.type === 'SKIP_WAITING') void self.skipWaiting();
});

self.addEventListener('activate', (event: ExtendableEvent) => {
  const keep = new Set([cacheNames.precache, cacheNames.runtime]);
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names.filter((n) => n.startsWith(`${PREFIX}-`) && !keep.has(n)).map((n) => caches.delete(n)),
        ),
      ),
  );
});
