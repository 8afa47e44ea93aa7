// Provider connections in storage: tenant-scoped queries and the mapping from a row to the contract's
// provider object. The API key lives in the vault; a row holds only the secret's id and the key's hint,
// and the view below never carries either the key or the secret id.
import type { Db } from '../db/database.ts';
import type { ProviderConnectionRow } from '../db/schema.ts';
import type { DbOrTx } from '../vault/vault-api.ts';
import type { AzureSettings, ProviderKind } from '../providers/provider.ts';
import { inFlightCounts, type InFlightWindow } from './in-flight-sessions.ts';

/** Keys older than this are due for rotation (the product page says: rotate quarterly). */
export const ROTATION_DUE_DAYS = 90;
const DAY_MS = 86_400_000;

export interface LastTest {
  ok: boolean;
  at: string;
  latencyMs: number;
  code: string | null;
}

export interface ProviderView {
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
  lastTest: LastTest | null;
  /** Chat sessions in flight on it (in-flight-sessions.ts): they finish here, and hold back its deletion. */
  inFlightSessions: number;
}

export const KIND_LABELS: Record<ProviderKind, string> = {
  anthropic: 'Anthropic',
  openai: 'OpenAI',
  azure: 'Azure AI Foundry',
};

export function parseAzure(text: string | null): AzureSettings | null {
  return text === null ? null : (JSON.parse(text) as AzureSettings);
}

export function keyAgeDays(addedAt: string, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - new Date(addedAt).getTime()) / DAY_MS));
}

/** Row → the contract's provider object. */
export function toProviderView(row: ProviderConnectionRow, activeProviderId: string | null, now: Date, inFlightSessions: number): ProviderView {
  const ageDays = keyAgeDays(row.key_added_at, now);
  return {
    id: row.id,
    kind: row.kind,
    label: row.label,
    baseUrl: row.base_url,
    azure: parseAzure(row.azure),
    models: { orchestrator: row.model_orchestrator, fast: row.model_fast },
    key: {
      hint: row.key_hint,
      name: row.key_name,
      addedAt: row.key_added_at,
      ageDays,
      rotationDue: ageDays >= ROTATION_DUE_DAYS,
    },
    active: row.id === activeProviderId,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastTest: row.last_test === null ? null : (JSON.parse(row.last_test) as LastTest),
    inFlightSessions,
  };
}

export async function findProvider(db: DbOrTx, tenantId: string, id: string): Promise<ProviderConnectionRow | undefined> {
  return db.selectFrom('provider_connections').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
}

export async function listProviderRows(db: DbOrTx, tenantId: string): Promise<ProviderConnectionRow[]> {
  return db
    .selectFrom('provider_connections')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function getActiveProviderId(db: DbOrTx, tenantId: string): Promise<string | null> {
  const row = await db.selectFrom('tenant_settings').select('active_provider_id').where('tenant_id', '=', tenantId).executeTakeFirst();
  return row?.active_provider_id ?? null;
}

/** The provider page: every connection of the tenant and which one is active. */
export async function listProviders(db: Db, tenantId: string, window: InFlightWindow): Promise<{ providers: ProviderView[]; activeProviderId: string | null }> {
  const [rows, activeProviderId, inFlight] = await Promise.all([listProviderRows(db, tenantId), getActiveProviderId(db, tenantId), inFlightCounts(db, tenantId, window)]);
  return { providers: rows.map((row) => toProviderView(row, activeProviderId, window.now, inFlight.get(row.id) ?? 0)), activeProviderId };
}

/** One provider as the contract shows it, read fresh (after a change). */
export async function presentProvider(db: DbOrTx, tenantId: string, id: string, window: InFlightWindow): Promise<ProviderView | null> {
  const row = await findProvider(db, tenantId, id);
  if (!row) return null;
  const inFlight = await inFlightCounts(db, tenantId, window, id);
  return toProviderView(row, await getActiveProviderId(db, tenantId), window.now, inFlight.get(id) ?? 0);
}

export async function saveLastTest(db: DbOrTx, tenantId: string, id: string, lastTest: LastTest): Promise<void> {
  await db
    .updateTable('provider_connections')
    .set({ last_test: JSON.stringify(lastTest) })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}
