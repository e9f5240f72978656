/**
 * The sandboxed preload: builds `window.classroom` from the IPC channel map — purpose-built
 * functions only, never `ipcRenderer` itself. It imports types only, so nothing but `electron`
 * is required at run time (a sandboxed preload cannot load other modules).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { DesktopBridge, IpcEventChannel, IpcEvents, IpcInvokeArgs, IpcInvokeChannel, IpcInvokeResults } from '@contract/ipc';

function invoke<C extends IpcInvokeChannel>(channel: C, ...args: IpcInvokeArgs<C>): Promise<IpcInvokeResults[C]> {
  return ipcRenderer.invoke(channel, ...args) as Promise<IpcInvokeResults[C]>;
}

function subscribe<C extends IpcEventChannel>(channel: C) {
  return (listener: (payload: IpcEvents[C]) => void) => {
    const wrapped = (_event: IpcRendererEvent, payload: IpcEvents[C]) => listener(payload);
    ipcRenderer.on(channel, wrapped);
    return () => {
      ipcRenderer.removeListener(channel, wrapped);
    };
  };
}

const bridge: DesktopBridge = {
  isDesktop: true,
  platform: process.platform,
  getState: () => invoke('classroom:get-state'),
  signIn: (userId, password) => invoke('classroom:sign-in', { userId, password }),
  signOut: () => invoke('classroom:sign-out'),
  sessionRejected: () => invoke('classroom:session-rejected'),
  setSetting: (change) => invoke('classroom:set-setting', change),
  setMeetingState: (inMeeting) => invoke('classroom:meeting-state', { inMeeting }),
  openExternal: (url) => invoke('classroom:open-external', url),
  takeDeepLinks: () => invoke('classroom:take-deep-links'),
  chooseScreenSource: (requestId, sourceId) => invoke('classroom:screen-source-chosen', { requestId, sourceId }),
  onSessionChanged: subscribe('classroom:session-changed'),
  onJoinSession: subscribe('classroom:join-session'),
  onPickScreenSource: subscribe('classroom:pick-screen-source'),
  onRingHealth: subscribe('classroom:ring-health'),
};

contextBridge.exposeInMainWorld('classroom', bridge);
