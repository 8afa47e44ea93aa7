// The Kysely table types: one shape for SQLite and PostgreSQL alike.
// Conventions that keep one set of queries working on both databases:
// - ids are UUID strings generated in Node; times are ISO-8601 UTC strings (they sort as text);
// - booleans are integers 0/1; JSON is text (serialised in Node); money is integer micro-dollars
//   (bigint in PostgreSQL, read back as a JS number by db/database.ts).
// - every table holding tenant data has tenant_id, and every query on it filters by the caller's tenant.
import type { ColumnType, Insertable, Selectable, Updateable } from 'kysely';

export interface TenantsTable {
  id: string;
  name: string;
  created_at: string;
}

export interface UsersTable {
  id: string;
  tenant_id: string;
  /** Lower-cased; unique across tenants because sign-in is by email alone. */
  email: string;
  password_hash: string;
  /** JSON array of 'member' | 'tenant_admin' | 'global_admin'. */
  roles: string;
  disabled: number;
  created_at: string;
  updated_at: string;
}

export interface AuthSessionsTable {
  /** SHA-256 of the cookie value; the value itself is never stored. */
  id: string;
  tenant_id: string;
  user_id: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
}

export interface ApiTokensTable {
  id: string;
  tenant_id: string;
  user_id: string;
  name: string;
  /** SHA-256 of the token; the token is shown once and never stored. */
  token_hash: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
}

export interface LoginFailuresTable {
  id: string;
  /** 'account:<email>' or 'ip:<address>'. */
  key: string;
  at: string;
}

export interface SetupTokensTable {
  token_hash: string;
  created_at: string;
  used_at: string | null;
}

export interface TenantDataKeysTable {
  tenant_id: string;
  /** base64 of nonce | ciphertext | tag: the tenant's data key sealed by the master key. */
  wrapped_key: string;
  /** Fingerprint of the master key that wrapped it (vault/master-keyring.ts). */
  master_key_id: string;
  created_at: string;
  updated_at: string;
}

export interface SecretsTable {
  id: string;
  tenant_id: string;
  purpose: string;
  /** base64 of nonce | ciphertext | tag, AES-256-GCM under the tenant's data key. */
  ciphertext: string;
  created_at: string;
}

export interface AuditEventsTable {
  id: string;
  tenant_id: string;
  at: string;
  actor_id: string | null;
  actor_email: string | null;
  action: string;
  target: string | null;
  /** JSON object; never a secret. */
  details: string;
}

export interface ProviderConnectionsTable {
  id: string;
  tenant_id: string;
  kind: 'anthropic' | 'openai' | 'azure';
  label: string;
  base_url: string | null;
  /** JSON of the contract's azure object, or null. */
  azure: string | null;
  model_orchestrator: string;
  model_fast: string;
  key_secret_id: string;
  key_hint: string;
  key_name: string | null;
  key_added_at: string;
  /** JSON {ok, at, latencyMs, code} or null. */
  last_test: string | null;
  created_at: string;
  updated_at: string;
}

export interface TenantSettingsTable {
  tenant_id: string;
  active_provider_id: string | null;
  monthly_budget_micros: number | null;
  alert_at_pct: number | null;
  per_user_monthly_budget_micros: number | null;
  max_agent_steps: number;
  /** Legacy: a webhook URL in plain text from before migration 0003; sealed into the vault at start. */
  alert_webhook_url: string | null;
  /** The alert webhook's URL, sealed in the vault (purpose 'alert_webhook'). */
  alert_webhook_secret_id: string | null;
  /** scheme://host[:port] of that URL, for display; the rest of it stays sealed. */
  alert_webhook_origin: string | null;
  /** Bumped on every AI-configuration change; caches compare it (several instances share one database). */
  config_version: number;
  updated_at: string;
}

export interface ChatSessionsTable {
  id: string;
  tenant_id: string;
  user_id: string;
  title: string | null;
  provider_id: string;
  provider_kind: 'anthropic' | 'openai' | 'azure';
  model_orchestrator: string;
  model_fast: string;
  /** 'in_flight' until closed; idleness is derived from last_activity_at. */
  status: 'in_flight' | 'completed';
  created_at: string;
  last_activity_at: string;
  closed_at: string | null;
  /** The session_busy lease: who writes an answer now, and until when (renewed while writing). */
  lease_owner: string | null;
  lease_expires_at: string | null;
  // Aggregates kept with each recorded call, so the admin list needs no scan of the calls.
  turns: number;
  input_tokens: number;
  output_tokens: number;
  cost_micros: number;
  error_count: number;
  model_call_count: number;
  latency_total_ms: number;
  /**
   * The highest chat_messages.seq used in the session (migration 0002): storing an exchange bumps it in
   * the lease's UPDATE. Optional on insert (defaults to 0); kept out of ChatSessionRow, since only
   * chat-messages.ts reads it.
   */
  message_seq: ColumnType<number, number | undefined, number>;
}

export interface ChatMessagesTable {
  id: string;
  tenant_id: string;
  session_id: string;
  seq: number;
  role: 'user' | 'assistant';
  content: string;
  /** JSON array of provider-neutral parts: text, tool-call, tool-result. */
  parts: string;
  model: string | null;
  status: 'complete' | 'streaming' | 'error' | 'interrupted';
  error_code: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  created_at: string;
  updated_at: string;
}

export interface CallRecordsTable {
  id: string;
  tenant_id: string;
  session_id: string | null;
  message_id: string | null;
  user_id: string | null;
  type: 'model_call' | 'tool_call' | 'repin';
  /** What the call served: 'orchestrator' | 'title' | 'suggestions' | 'test'. */
  flow: string | null;
  at: string;
  duration_ms: number;
  outcome: 'success' | 'error';
  provider_kind: string | null;
  model: string | null;
  input_tokens: number;
  output_tokens: number;
  cost_micros: number;
  /** 1 when the price came from the provider's highest catalog price (unknown model). */
  estimated: number;
  tool: string | null;
  error_code: string | null;
  /** JSON with extra facts (re-pin from/to, rows returned); never chat content. */
  details: string | null;
}

export interface BudgetLedgerTable {
  tenant_id: string;
  /** 'tenant' for the tenant's budget, else a user id for the per-user budget. */
  scope: string;
  /** 'YYYY-MM' in UTC. */
  month: string;
  spent_micros: number;
  reserved_micros: number;
}

export interface BudgetReservationsTable {
  id: string;
  tenant_id: string;
  user_id: string;
  month: string;
  amount_micros: number;
  created_at: string;
  /** Set when settled or released; an unsettled old reservation is released by a sweeper. */
  settled_at: string | null;
}

export interface BudgetAlertsTable {
  tenant_id: string;
  month: string;
  threshold_pct: number;
  fired_at: string;
  spent_micros: number;
}

export interface Database {
  tenants: TenantsTable;
  users: UsersTable;
  auth_sessions: AuthSessionsTable;
  api_tokens: ApiTokensTable;
  login_failures: LoginFailuresTable;
  setup_tokens: SetupTokensTable;
  tenant_data_keys: TenantDataKeysTable;
  secrets: SecretsTable;
  audit_events: AuditEventsTable;
  provider_connections: ProviderConnectionsTable;
  tenant_settings: TenantSettingsTable;
  chat_sessions: ChatSessionsTable;
  chat_messages: ChatMessagesTable;
  call_records: CallRecordsTable;
  budget_ledger: BudgetLedgerTable;
  budget_reservations: BudgetReservationsTable;
  budget_alerts: BudgetAlertsTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type ProviderConnectionRow = Selectable<ProviderConnectionsTable>;
export type ChatSessionRow = Omit<Selectable<ChatSessionsTable>, 'message_seq'>;
export type ChatMessageRow = Selectable<ChatMessagesTable>;
export type CallRecordRow = Selectable<CallRecordsTable>;
