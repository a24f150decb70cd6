import { inspect } from 'node:util';

/**
 * A credential read from the environment. It prints, logs and serialises as `***`; only the code
 * that sends it to the identity platform calls `reveal()`.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return '***';
  }

  toJSON(): string {
    return '***';
  }

  [inspect.custom](): string {
    return 'Secret(***)';
  }
}
