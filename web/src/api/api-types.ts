// The contract's shapes (../shared/contract.md), as the web app reads them.

export type Role = 'member' | 'tenant_admin' | 'global_admin';

export interface User {
  id: string;
  email: string;
  roles: Role[];
  tenantId: string;
  disabled?: boolean;
  createdAt?: string;
}

export interface MeResponse {
  user: User;
  csrfToken: string;
}

export type ProviderKind = 'anthropic' | 'openai' | 'azure';
export type AzureApiStyle = 'openai' | 'anthropic';

export interface AzureSettings {
  endpoint: string;
  apiStyle: AzureApiStyle;
  apiVersion: string | null;
  modelOf: Record<string, string>;
}

export interface ProviderConnection {
  id: string;
  kind: ProviderKind;
  label: string;
  baseUrl: string | null;
  azure: AzureSettings | null;
  models: { orchestrator: string; fast: string };
  key: { hint: string; name: string | null; addedAt: string; ageDays: number; rotationDue: boolean };
  active: boolean;
  createdAt: string;
  updatedAt: string;
  lastTest: null | { ok: boolean; at: string; latencyMs: number | null; code: string | null };
  /** Chat sessions in flight on it: they finish on it, and hold back its deletion unless moved. */
  inFlightSessions: number;
}

export interface ProvidersResponse {
  providers: ProviderConnection[];
  activeProviderId: string | null;
}

export interface CatalogModel {
  id: string;
  displayName: string;
  recommendedFor: Array<'orchestrator' | 'fast'>;
}

export type TestResult =
  | { ok: true; model: string; latencyMs: number; reply: string }
  | { ok: false; error: { code: string; message: string; hint?: string } };

export interface ChatSession {
  id: string;
  providerId: string | null;
  providerKind: ProviderKind | null;
  model: string | null;
  status: 'in_flight' | 'completed';
  title?: string | null;
  createdAt: string;
  lastActivityAt?: string;
}

export interface ToolCallPart {
  type: 'tool-call';
  id: string;
  name: string;
  input: unknown;
}
export interface ToolResultPart {
  type: 'tool-result';
  id: string;
  name: string;
  output: unknown;
}
export interface TextPart {
  type: 'text';
  text: string;
}
export type MessagePart = ToolCallPart | ToolResultPart | TextPart | { type: string; [k: string]: unknown };

export interface Usage {
  inputTokens: number;
  outputTokens: number;
}

export interface ChatMessage {
  id: string;
  role: 'user' | 'assistant';
  content: string;
  parts: MessagePart[] | null;
  model: string | null;
  status: 'complete' | 'streaming' | 'error' | 'interrupted';
  errorCode: string | null;
  usage: Usage | null;
  createdAt: string;
}

export interface AdminSessionRow {
  id: string;
  user: { id: string; email: string };
  title: string | null;
  providerKind: ProviderKind | null;
  model: string | null;
  startedAt: string;
  lastActivityAt: string;
  status: 'in_flight' | 'completed';
  outcome: 'success' | 'error';
  turns: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
  avgLatencyMs: number | null;
}

export interface TimelineEntry {
  type: 'model_call' | 'tool_call' | 'repin';
  at: string;
  durationMs: number | null;
  outcome: string | null;
  model: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
  tool: string | null;
  errorCode: string | null;
  /** A model call's purpose: 'orchestrator', or a cheap flow ('title', 'suggestions'). */
  flow?: string | null;
}

export interface Overview {
  totalSessions: number;
  activeUsers: number;
  totalTokens: number;
  errorRate: number;
  avgLatencyMs: number | null;
  sessionsPerDay: Array<{ date: string; count: number }>;
  recentSessions: AdminSessionRow[];
}

export interface UsageRow {
  model?: string;
  user?: { id: string; email: string } | string;
  email?: string;
  userId?: string;
  spentUsd?: number;
  costUsd?: number;
  inputTokens?: number;
  outputTokens?: number;
  calls?: number;
  [k: string]: unknown;
}

export interface UsageResponse {
  month: string;
  spentUsd: number;
  budgetUsd: number | null;
  alertAtPct: number | null;
  estimated: boolean;
  byModel: UsageRow[];
  byUser: UsageRow[];
  /** Spend per UTC day of the month so far (Mosaic's addition to the contract's usage answer). */
  byDay: Array<{ date: string; costUsd: number }>;
}

export interface Limits {
  monthlyBudgetUsd: number | null;
  alertAtPct: number | null;
  perUserMonthlyBudgetUsd: number | null;
  maxAgentSteps: number;
  /** The budget alert webhook, by its origin only (the rest of its URL is stored encrypted). */
  alertWebhook: { origin: string } | null;
}

/** POST /api/admin/ai/limits/webhook-test: delivered (the webhook's status), or why not. */
export type WebhookTestResult =
  | { ok: true; status: number; latencyMs: number }
  | { ok: false; error: { code: string; message: string; hint: string }; status: number | null };

/** PUT /api/admin/ai/limits: the limits, and a webhook URL to set (string), remove (null) or keep (absent). */
export interface LimitsUpdate extends Omit<Limits, 'alertWebhook'> {
  alertWebhookUrl?: string | null;
}
