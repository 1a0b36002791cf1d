/**
 * The little the stand-ins log (request lines at debug, crashes at error). Any pino-like logger fits; never given a
 * token or secret.
 */
export interface StandInLogger {
  debug(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}
