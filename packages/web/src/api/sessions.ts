import {
  pageSchema,
  type SessionDetail,
  type SessionSummary,
  sessionDetailSchema,
  sessionSummarySchema,
} from '@switchyard/shared';
import { request } from './client.js';

const sessionPageSchema = pageSchema(sessionSummarySchema);
export type SessionPage = { data: SessionSummary[]; nextCursor: string | null };

/** A page of the org's sessions, most recently active first; one end user's with `userId` (`GET /api/sessions`). */
export function listSessions(options: {
  userId?: string;
  limit: number;
  cursor: string | null;
  signal?: AbortSignal;
}): Promise<SessionPage> {
  return request('/api/sessions', {
    query: { userId: options.userId, limit: options.limit, cursor: options.cursor },
    signal: options.signal,
    schema: sessionPageSchema,
  });
}

/** One session with a page of its traces, oldest first (`GET /api/sessions/:id`). */
export function getSession(
  id: string,
  options: { limit: number; cursor: string | null; signal?: AbortSignal },
): Promise<SessionDetail> {
  return request(`/api/sessions/${encodeURIComponent(id)}`, {
    query: { limit: options.limit, cursor: options.cursor },
    signal: options.signal,
    schema: sessionDetailSchema,
  });
}
