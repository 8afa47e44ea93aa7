// The cheap flows, on the session's FAST model: a title after the first exchange and up to three
// follow-up questions after each answer. Budgeted and recorded like every call; a failure here is
// logged and recorded, and never fails the answer the user already has.
import type { CallScope } from '../call-records.ts';
import { exchangeDigest, SUGGESTIONS_INSTRUCTIONS, TITLE_INSTRUCTIONS } from './agent-prompts.ts';
import { budgetedGenerate, type CallDeps, type CallTarget } from './budgeted-call.ts';
import type { BudgetSettings } from '../../usage/limits.ts';

const TITLE_MAX_TOKENS = 32;
const SUGGESTIONS_MAX_TOKENS = 200;
const TITLE_MAX_CHARS = 80;
const QUESTION_MAX_CHARS = 200;

export interface CheapFlowInput {
  scope: CallScope;
  /** The session's fast model on its pinned provider. */
  target: CallTarget;
  question: string;
  answer: string;
  budget?: BudgetSettings;
  signal?: AbortSignal;
}

/** A model's title reply → a clean one-line title ('' when nothing usable came back). */
export function cleanTitle(reply: string): string {
  const line = reply.split('\n').map((l) => l.trim()).find((l) => l !== '') ?? '';
  const bare = line.replace(/^(title:\s*)/i, '').replace(/^["'“”‘’*#\s]+|["'“”‘’*\s.]+$/g, '');
  return bare.length <= TITLE_MAX_CHARS ? bare : `${bare.slice(0, TITLE_MAX_CHARS - 1).trimEnd()}…`;
}

/** A model's suggestions reply → at most three questions, list markers removed. */
export function parseSuggestions(reply: string): string[] {
  return reply
    .split('\n')
    .map((l) => l.trim().replace(/^(\d+[.)]|[-*•])\s*/, '').trim())
    .filter((l) => l !== '')
    .map((l) => (l.length <= QUESTION_MAX_CHARS ? l : `${l.slice(0, QUESTION_MAX_CHARS - 1)}…`))
    .slice(0, 3);
}

async function ask(deps: CallDeps, input: CheapFlowInput, flow: 'title' | 'suggestions', instructions: string, maxOutputTokens: number): Promise<string | null> {
  try {
    const result = await budgetedGenerate(
      deps,
      { scope: input.scope, flow, target: input.target, ...(input.budget ? { budget: input.budget } : {}) },
      {
        model: input.target.model,
        system: instructions,
        messages: [{ role: 'user', content: exchangeDigest(input.question, input.answer) }],
        maxOutputTokens,
        ...(input.signal ? { signal: input.signal } : {}),
      },
    );
    return result.text;
  } catch (error) {
    deps.logger.warn({ err: error, flow, sessionId: input.scope.sessionId }, 'a cheap flow failed; the answer is unaffected');
    return null;
  }
}

/** The session's title, or null when the flow failed or said nothing usable. */
export async function generateTitle(deps: CallDeps, input: CheapFlowInput): Promise<string | null> {
  const reply = await ask(deps, input, 'title', TITLE_INSTRUCTIONS, TITLE_MAX_TOKENS);
  const title = reply === null ? '' : cleanTitle(reply);
  return title === '' ? null : title;
}

/** Up to three follow-up questions ([] when the flow failed). */
export async function generateSuggestions(deps: CallDeps, input: CheapFlowInput): Promise<string[]> {
  const reply = await ask(deps, input, 'suggestions', SUGGESTIONS_INSTRUCTIONS, SUGGESTIONS_MAX_TOKENS);
  return reply === null ? [] : parseSuggestions(reply);
}
