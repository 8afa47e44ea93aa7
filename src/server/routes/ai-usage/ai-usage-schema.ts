// Input of the usage and limits endpoints (contract: Admin console).
import { z } from 'zod';
import { DEFAULT_MAX_AGENT_STEPS } from '../../../usage/limits.ts';

/** The most a monthly budget may be: far above any real budget, far below 2^53 micro-dollars. */
export const MAX_BUDGET_USD = 1_000_000_000;

const budgetUsd = z.number().min(0).max(MAX_BUDGET_USD).nullable().default(null);

/**
 * PUT /api/admin/ai/limits: replaces every limit; an omitted one takes its default (null = none, 8 steps).
 * The alert webhook is the exception, as a stored secret is: omitted keeps it, null or '' removes it.
 */
export const putLimitsBody = z.strictObject({
  monthlyBudgetUsd: budgetUsd,
  alertAtPct: z.number().int().min(1).max(100).nullable().default(null),
  perUserMonthlyBudgetUsd: budgetUsd,
  maxAgentSteps: z.number().int().min(1).max(50).default(DEFAULT_MAX_AGENT_STEPS),
  alertWebhookUrl: z.preprocess((v) => (v === '' ? null : v), z.string().trim().min(1).max(2048).nullable().optional()),
});
export type PutLimitsBody = z.infer<typeof putLimitsBody>;

/** POST /api/admin/ai/limits/webhook-test: the URL being typed, or none for the stored webhook. */
export const webhookTestBody = z.strictObject({
  alertWebhookUrl: z.string().trim().min(1).max(2048).optional(),
});
