import { contextBridge, ipcRenderer } from 'electron';
import {
  IPC_EVENT_CHANNEL,
  IPC_USERS_FILE_CHANNEL,
  ipcChannel,
  methodNames,
  type EventName,
  type PreloadApi,
  type PreloadEvents,
  type PreloadUsersFile,
} from '../shared/api.ts';
import { IPC_LOG_FILES_CHANNEL, type PreloadLogFiles } from '../shared/api/log-comparison.ts';

// window.api is built from the declared method list: one function per method, each bound to its own
// channel, so the renderer can reach nothing the API does not declare (no generic invoke).
const api = Object.fromEntries(
  methodNames.map((name) => [name, (input: unknown) => ipcRenderer.invoke(ipcChannel(name), input)]),
) as PreloadApi;

const apiEvents: PreloadEvents = {
  on(listener) {
    const forward = (_event: Electron.IpcRendererEvent, name: EventName, payload: unknown) => listener(name, payload);
    ipcRenderer.on(IPC_EVENT_CHANNEL, forward);
    return () => ipcRenderer.off(IPC_EVENT_CHANNEL, forward);
  },
};

const usersFile: PreloadUsersFile = {
  chooseAndImport: () => ipcRenderer.invoke(IPC_USERS_FILE_CHANNEL),
};

contextBridge.exposeInMainWorld('api', api satisfies PreloadApi);
contextBridge.exposeInMainWorld('usersFile', usersFile satisfies PreloadUsersFile);
contextBridge.exposeInMainWorld('apiEvents', apiEvents);
contextBridge.exposeInMainWorld('logFiles', { choose: () => ipcRenderer.invoke(IPC_LOG_FILES_CHANNEL) } satisfies PreloadLogFiles);
