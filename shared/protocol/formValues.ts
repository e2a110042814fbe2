// Typed readers for stored form values (FormData): a number, string, boolean or date, or null when absent or of the wrong type.
import type { FormData } from './types';
import { isIsoDate } from '../rules/dates';

function get(data: FormData | null | undefined, id: string): unknown {
  if (!data || typeof data !== 'object') return undefined;
  return Object.prototype.hasOwnProperty.call(data, id) ? data[id] : undefined;
}

export function numberValue(data: FormData | null | undefined, id: string): number | null {
  const v = get(data, id);
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export function stringValue(data: FormData | null | undefined, id: string): string | null {
  const v = get(data, id);
  return typeof v === 'string' && v.trim() !== '' ? v : null;
}

export function booleanValue(data: FormData | null | undefined, id: string): boolean | null {
  const v = get(data, id);
  return typeof v === 'boolean' ? v : null;
}

export function dateValue(data: FormData | null | undefined, id: string): string | null {
  const v = get(data, id);
  return isIsoDate(v) ? v : null;
}

export function listValue(data: FormData | null | undefined, id: string): string[] {
  const v = get(data, id);
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** Round for display/storage of a derived value; null stays null, NaN/Infinity become null. */
export function roundOrNull(x: number | null | undefined, decimals: number): number | null {
  if (typeof x !== 'number' || !Number.isFinite(x)) return null;
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
}
