// What the models are told. Kept apart from the loop so the wording can change without touching control flow.

/** The orchestrator's system prompt: an analytics assistant over one dataset, through its tools. */
export function orchestratorSystemPrompt(dataset: { name: string; summary: string; dialect: string }): string {
  return [
    'You are Mosaic, the orchestrator of an analytics assistant. You answer questions about the dataset',
    `"${dataset.name}" (${dataset.summary}) by calling your tools, then explain the result plainly.`,
    '- Call describe_dataset first when you do not know the tables and columns.',
    `- Call run_query with one read-only SELECT in the ${dataset.dialect === 'sqlite' ? 'SQLite' : dataset.dialect} dialect per call; aggregate in SQL rather than fetching many rows.`,
    '- If a query fails, read the error, fix the query and try again.',
    '- Base every figure you state on a query result; say so when the data cannot answer the question.',
    '- Be concise: the answer first, then the figures that support it.',
  ].join('\n');
}

export const TITLE_INSTRUCTIONS =
  'Write a title of at most six words for the conversation below. Reply with the title only: no quotes, no punctuation at the end.';

export const SUGGESTIONS_INSTRUCTIONS =
  'Suggest up to three short follow-up questions the user might ask next about their data, given the conversation below. ' +
  'Reply with one question per line and nothing else.';

/** The exchange the cheap flows read: the question and the answer, shortened. */
export function exchangeDigest(question: string, answer: string): string {
  const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max)}…`);
  return `User: ${clip(question, 2_000)}\n\nAssistant: ${clip(answer, 4_000)}`;
}

/** Appended when the provider's content filter cut the answer: the stored answer must say so on reload too. */
export const CONTENT_FILTER_MESSAGE =
  "\n\nThe provider's content filter stopped this answer. Rephrase the question, or ask your Tenant Admin about the filter settings of the deployment.";

export function stepLimitMessage(steps: number): string {
  return `\n\nI stopped after ${steps} steps without finishing the answer. Ask me to continue, or narrow the question.`;
}
