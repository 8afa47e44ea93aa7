// Identifiers in the providers' own shapes (random: only the content of answers is deterministic).
import { randomBytes, randomUUID } from 'node:crypto';

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function base62(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += BASE62[byte % 62];
  return out;
}

export const anthropicMessageId = (): string => `msg_01${base62(22)}`;
export const anthropicToolUseId = (): string => `toolu_01${base62(22)}`;
export const anthropicRequestId = (): string => `req_011C${base62(20)}`;
export const openaiCompletionId = (): string => `chatcmpl-${base62(29)}`;
export const openaiToolCallId = (): string => `call_${base62(24)}`;
export const openaiRequestId = (): string => `req_${randomBytes(16).toString('hex')}`;
export const azureRequestId = (): string => randomUUID();
/** OpenAI pads stream chunks with random characters so their sizes leak nothing. */
export const obfuscation = (): string => base62(2 + (randomBytes(1)[0] ?? 0) % 12);
