// Preload (sandboxed): exposes window.ecrf, one function per API contract call, over IPC. Nothing else.
import { contextBridge, ipcRenderer } from 'electron';
import { CALL_NAMES, type EcrfApi } from '../shared/api/contract';

const api = Object.fromEntries(
  CALL_NAMES.map((name) => [name, (args: unknown) => ipcRenderer.invoke(`ecrf:${name}`, args)]),
) as unknown as EcrfApi;

contextBridge.exposeInMainWorld('ecrf', api satisfies EcrfApi);
