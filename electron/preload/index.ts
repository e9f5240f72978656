/**
 * The sandboxed preload: exposes purpose-built functions to the renderer through contextBridge —
 * never `ipcRenderer` itself.
 */
import { contextBridge } from 'electron';

contextBridge.exposeInMainWorld('classroom', {
  platform: process.platform,
  isDesktop: true,
});
