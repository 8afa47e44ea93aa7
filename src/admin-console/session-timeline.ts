// Session Detail: the timeline of every model call, tool call and re-pin of a session, in the order they
// happened. Built from call_records only, which hold timings, models, tokens and error codes but never
// chat content (the message text and tool inputs/outputs live in chat_messages, behind the
// acknowledgement of session-content.ts).
import type { Db } from '../db/database.ts';
import type { CallRecordRow } from '../db/schema.ts';
import { microsToUsd } from '../usage/pricing.ts';

export interface TimelineEntry {
  type: CallRecordRow['type'];
  at: string;
  durationMs: number;
  outcome: CallRecordRow['outcome'];
  model: string | null;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  tool: string | null;
  errorCode: string | null;
  /** What a model call was for: the orchestrator's answer, or a cheap flow on the fast model (title, suggestions). */
  flow: string | null;
}

type TimelineRow = Pick<CallRecordRow, 'type' | 'at' | 'duration_ms' | 'outcome' | 'model' | 'input_tokens' | 'output_tokens' | 'cost_micros' | 'tool' | 'error_code' | 'flow'>;

export function presentTimelineEntry(row: TimelineRow): TimelineEntry {
  return {
    type: row.type,
    at: row.at,
    durationMs: Number(row.duration_ms),
    outcome: row.outcome,
    model: row.model,
    inputTokens: Number(row.input_tokens),
    outputTokens: Number(row.output_tokens),
    costUsd: microsToUsd(Number(row.cost_micros)),
    tool: row.tool,
    errorCode: row.error_code,
    flow: row.flow,
  };
}

/** The session's calls, oldest first (served by the call_records_session index). */
export async function getSessionTimeline(db: Db, tenantId: string, sessionId: string): Promise<TimelineEntry[]> {
  // Only the columns of the view are read: `details` stays out of the admin's sight by construction.
  const rows = await db
    .selectFrom('call_records')
    .select(['type', 'at', 'duration_ms', 'outcome', 'model', 'input_tokens', 'output_tokens', 'cost_micros', 'tool', 'error_code', 'flow'])
    .where('session_id', '=', sessionId)
    .where('tenant_id', '=', tenantId)
    .orderBy('at')
    .orderBy('id')
    .execute();
  return rows.map(presentTimelineEntry);
}
