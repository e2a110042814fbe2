// Preload (sandboxed): exposes window.ecrf, one function per API contract call, over IPC, and the host's one extra:
// saving the page as a PDF (printToPDF runs in main, which checks the sender like every call). Nothing else.
import { contextBridge, ipcRenderer } from 'electron';
import { CALL_NAMES, type EcrfApi } from '../shared/api/contract';
import type { HostApi } from '../shared/api/host';

const api = Object.fromEntries(
  CALL_NAMES.map((name) => [name, (args: unknown) => ipcRenderer.invoke(`ecrf:${name}`, args)]),
) as unknown as EcrfApi;

const host: HostApi = { 'host.printToPdf': (args) => ipcRenderer.invoke('ecrf-host:printToPdf', args) };

contextBridge.exposeInMainWorld('ecrf', { ...api, ...host } satisfies EcrfApi & HostApi);
