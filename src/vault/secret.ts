// A secret value (an API key, a password) as a type of its own: it never prints. toString, toJSON,
// util.inspect and template literals all give the redacted form; only reveal() gives the value, and
// every call to reveal() is a place that hands the secret to the one party that needs it.
import { inspect } from 'node:util';

const REDACTED = '[redacted secret]';

export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The plaintext, for the one call that must send it (an HTTP header to the provider, a cipher). */
  reveal(): string {
    return this.#value;
  }

  get length(): number {
    return this.#value.length;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }

  [Symbol.toPrimitive](): string {
    return REDACTED;
  }
}
