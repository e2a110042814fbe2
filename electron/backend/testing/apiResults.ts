// Test helpers for API envelopes: unwrap an ok result, or assert an error with both languages and return its code.
import { expect } from 'vitest';

type Envelope = { ok: boolean; value?: unknown; error?: { code: string; message: { zh: string; en: string } } };

export async function ok<T>(p: Promise<Envelope> | Envelope): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`${r.error!.code}: ${r.error!.message.en}`);
  return r.value as T;
}

/** Asserts the call failed with a message in Chinese and English; returns the error. */
export async function apiError(p: Promise<Envelope> | Envelope): Promise<{ code: string; message: { zh: string; en: string } }> {
  const r = await p;
  expect(r.ok).toBe(false);
  expect(r.error!.message.zh.length).toBeGreaterThan(0);
  expect(r.error!.message.en.length).toBeGreaterThan(0);
  return r.error!;
}

/** Asserts the call failed with a message in Chinese and English; returns the error code. */
export async function errorCode(p: Promise<Envelope> | Envelope): Promise<string> {
  return (await apiError(p)).code;
}
