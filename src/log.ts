/**
 * The one logger shape code depends on: structured fields first, then a message. pino's Logger (src/logging.ts)
 * satisfies it; tests pass a recorder. Lives apart from logging.ts so a module that logs never imports pino.
 */
export interface Log {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  debug?(obj: object, msg?: string): void;
}
