// A second API session from the test process (Node side) over the browser-mode HTTP host, logged in as the UI's admin:
// for seeding data a test is not about, and for steps whose feature is not in this build yet.
import { randomUUID } from 'node:crypto';
import { ADMIN, type EcrfHost } from './fixtures';

export type ApiCall = (name: string, args: unknown) => Promise<unknown>;

/** Logged in as the UI's admin unless another user's name and password are given. */
export async function apiSession(host: EcrfHost, as: { username: string; password: string } = ADMIN): Promise<ApiCall> {
  const token = /#token=([0-9a-f]+)/.exec(host.openUrl)![1]!;
  const session = randomUUID();
  const api: ApiCall = async (name, args) => {
    const res = await fetch(new URL(`api/${name}`, host.url), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Ecrf-Token': token, 'X-Ecrf-Session': session },
      body: JSON.stringify(args),
    });
    const body = (await res.json()) as { ok: boolean; value?: unknown; error?: unknown };
    if (!body.ok) throw new Error(`${name}: ${JSON.stringify(body.error)}`);
    return body.value;
  };
  await api('auth.login', { username: as.username, password: as.password });
  return api;
}

