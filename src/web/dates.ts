/**
 * Datetimes as authnzerver writes and reads them: naive UTC ISO strings, with microseconds when sent.
 */
import { serverDatetime } from '../core/datetime.js';

/** A naive UTC datetime from authnzerver (or one with a zone), as a `Date`. */
export function parseServerDate(text: string): Date {
  const zoned = text.endsWith('Z') || text.endsWith('z') || /[+-]\d\d:\d\d$/.test(text);
  return new Date(zoned ? text : `${text}Z`);
}

/** A naive UTC datetime with microseconds (`YYYY-MM-DDTHH:MM:SS.ffffff`), as `session-new` wants it. */
export function pythonDatetime(ms: number): string {
  return serverDatetime(new Date(ms));
}
