/** Set at build time by electron.vite.config.ts (from electron-builder.yml's appId). */
declare const __CLASSROOM_APP_ID__: string;
