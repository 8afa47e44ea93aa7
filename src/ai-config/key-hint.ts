// The hint that lets an admin recognise a stored key without revealing it: the key's family prefix (public
// knowledge, e.g. "sk-ant-") and its last few characters — fewer for short keys, none for very short ones.
import type { Secret } from '../vault/secret.ts';

// Longest first: the first match wins. Only family prefixes, never the random part.
const KNOWN_PREFIXES = ['sk-ant-', 'sk-proj-', 'sk-svcacct-', 'sk-admin-', 'sk-'];

/** How many trailing characters a key of this length may show. */
function revealedTail(length: number): number {
  if (length >= 24) return 4;
  if (length >= 16) return 2;
  return 0;
}

/** "sk-ant-…x7Qa", "sk-proj-…9fQz", "…c0de" (Azure's hex keys), "…" for very short keys. */
export function keyHint(key: Secret): string {
  const value = key.reveal();
  const prefix = KNOWN_PREFIXES.find((p) => value.startsWith(p) && value.length >= p.length + 16) ?? '';
  const tail = revealedTail(value.length - prefix.length);
  return `${prefix}…${tail > 0 ? value.slice(-tail) : ''}`;
}
