/**
 * Three builds: the Electron main process, the sandboxed preload (CommonJS, as a sandboxed preload
 * must be), and the React renderer — which the bundled server also serves as the web client.
 * `@contract` resolves to server/contract in all three: one typed contract across every boundary.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import yaml from 'js-yaml';

const alias = { '@contract': resolve(__dirname, 'server/contract') };
/** The app id has one source, electron-builder.yml: Windows matches toasts to the installer's shortcut by it. */
const { appId } = yaml.load(readFileSync(resolve(__dirname, 'electron-builder.yml'), 'utf8')) as { appId: string };

export default defineConfig({
  main: {
    resolve: { alias },
    define: { __CLASSROOM_APP_ID__: JSON.stringify(appId) },
    build: {
      outDir: 'out/main',
      externalizeDeps: true,
      // `server` is the bundled server the desktop app hosts in a utility process.
      rollupOptions: { input: { index: resolve(__dirname, 'electron/main/index.ts'), server: resolve(__dirname, 'server/index.ts') } },
    },
  },
  preload: {
    resolve: { alias },
    build: {
      outDir: 'out/preload',
      externalizeDeps: true,
      rollupOptions: {
        input: { index: resolve(__dirname, 'electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    resolve: { alias },
    plugins: [react(), absoluteAssetUrls()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      minify: true,
      // The ZEGO SDK is one ~2 MB chunk by design: loaded only when a ZEGO room is entered.
      chunkSizeWarningLimit: 2500,
      rollupOptions: { input: { index: resolve(__dirname, 'renderer/index.html') } },
    },
  },
});

/**
 * Absolute asset URLs (`/assets/…`): the web client's shell is served on every client route
 * (/schedule/, /meeting/…), where electron-vite's production base './' would resolve assets under
 * the route and load the shell as a script — a blank page. The desktop renderer is served from the
 * root of classroom-app://app, where '/' is the same place. Runs after electron-vite sets './'.
 */
function absoluteAssetUrls(): Plugin {
  return { name: 'classroom:absolute-asset-urls', enforce: 'post', config: () => ({ base: '/' }) };
}
