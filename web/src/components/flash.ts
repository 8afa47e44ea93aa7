// A one-time message carried across a navigation ("Saved…" after a form returns to its list).
let pending: string | null = null;

export function setFlash(message: string): void {
  pending = message;
}

/** Returns the pending message once, then forgets it. */
export function takeFlash(): string | null {
  const message = pending;
  pending = null;
  return message;
}
