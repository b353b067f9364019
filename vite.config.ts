import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

const serverPort = Number(process.env.PORT ?? 3000);

export default defineConfig({
  root: 'client',
  publicDir: 'public',
  plugins: [
    react(),
    // Installable, with an offline shell: the app's own files are cached by a Workbox service
    // worker; the API and the live connection never are.
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: 'script-defer',
      includeAssets: ['icon.svg', 'apple-touch-icon.png'],
      manifest: {
        name: 'Common Ground',
        short_name: 'Common Ground',
        description: 'A calm room where two partners talk, listen and write down what they agree.',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        background_color: '#faf6f0',
        theme_color: '#2f5d57',
        icons: [
          { src: '/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        // Precached: the shell that opens without a network (the landing page, Getting help and
        // the installed icon). Every other chunk (the room, its sessions, the agreements editor,
        // the counsellor's workspace) is cached the first time it loads, below, so a room opened
        // once keeps working offline and a first visit does not fetch the editor it may never use.
        globPatterns: ['index.html', 'assets/index-*.{js,css}', 'assets/rolldown-runtime-*.js', '*.{svg,webmanifest}', 'icon-192.png'],
        runtimeCaching: [
          {
            // Hashed file names never change content, so the first copy is good for ever.
            urlPattern: ({ url, sameOrigin }) => sameOrigin && url.pathname.startsWith('/assets/'),
            handler: 'CacheFirst',
            options: { cacheName: 'assets', expiration: { maxEntries: 60, maxAgeSeconds: 365 * 24 * 60 * 60 } },
          },
        ],
        // Reminders: the push and notificationclick handlers (client/public/push-sw.js), loaded
        // by the generated service worker, so Workbox keeps building the precache as before.
        importScripts: ['push-sw.js'],
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/api\//, /^\/socket\.io\//, /^\/healthz/],
        maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
        // Neither the service worker nor Workbox's runtime ships a source map.
        sourcemap: false,
      },
    }),
  ],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    // No source maps in what is served: the readable sources stay in the repository, not on
    // every visitor's device. test/e2e/roomGoneFromDevice.e2e.test.ts checks dist and the answers.
    sourcemap: false,
    // scripts/bundleBudget.mjs reads it to weigh what the first screen loads
    manifest: true,
    rolldownOptions: {
      output: {
        codeSplitting: {
          // The agreements' weight in two chunks the browser fetches side by side: the CRDT and
          // the editor. Both load only with the agreements or the counsellor's notes.
          // A group takes its modules' dependencies too, so neither names a package that needs
          // React (@tiptap/react stays with the agreements), or React would move in with them.
          groups: [
            { name: 'yjs', priority: 2, test: /node_modules[\\/](yjs|lib0|y-protocols|y-indexeddb)[\\/]/ },
            { name: 'editor', priority: 1, test: /node_modules[\\/](@tiptap[\\/](?!react)|prosemirror-|linkifyjs)/ },
          ],
        },
      },
    },
  },
  server: {
    port: 5173,
    proxy: {
      '/api': `http://localhost:${serverPort}`,
      '/healthz': `http://localhost:${serverPort}`,
      '/socket.io': { target: `ws://localhost:${serverPort}`, ws: true },
    },
  },
});
