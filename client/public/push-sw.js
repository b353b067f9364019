/*
 * Reminders in the service worker: imported by the Workbox service worker (vite.config.ts,
 * workbox.importScripts), so its precache and offline shell stay as they are.
 * A push message carries { title, body, url, tag } (docs/protocol.md, Reminders); anything
 * missing or odd falls back to the neutral words, so a lock screen never shows more than asked.
 */
const NEUTRAL = { title: 'Common Ground', body: 'A reminder' };

self.addEventListener('push', (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = {};
  }
  const text = (value, fallback) => (typeof value === 'string' && value.length > 0 && value.length <= 300 ? value : fallback);
  const url = typeof data.url === 'string' && /^\/room\/[A-Za-z0-9_-]+$/.test(data.url) ? data.url : '/';
  event.waitUntil(
    self.registration.showNotification(text(data.title, NEUTRAL.title), {
      body: text(data.body, NEUTRAL.body),
      tag: text(data.tag, 'common-ground-reminder'),
      icon: '/icon-192.png',
      badge: '/icon-192.png',
      data: { url },
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const path = (event.notification.data && event.notification.data.url) || '/';
  const target = new URL(path, self.location.origin).href;
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      const same = windows.find((client) => client.url === target);
      if (same) return same.focus();
      const ours = windows.find((client) => new URL(client.url).origin === self.location.origin);
      if (ours) {
        const moved = await ours.navigate(target).catch(() => null);
        return (moved || ours).focus();
      }
      return self.clients.openWindow(target);
    })(),
  );
});
