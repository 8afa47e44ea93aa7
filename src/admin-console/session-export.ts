// Session Detail's JSON export: the session and its timeline as a file an admin can attach to a ticket.
// Like the detail view it holds no chat content.
import type { AdminSessionView } from './session-view.ts';
import type { TimelineEntry } from './session-timeline.ts';

export interface SessionExport {
  exportedAt: string;
  session: AdminSessionView;
  timeline: TimelineEntry[];
}

export function buildSessionExport(session: AdminSessionView, timeline: TimelineEntry[], now: Date): SessionExport {
  return { exportedAt: now.toISOString(), session, timeline };
}

/** The download's file name (a session id is a UUID, safe inside a quoted header parameter). */
export const exportFileName = (sessionId: string): string => `mosaic-session-${sessionId}.json`;
