/**
 * Builds the alerts radar for both modes: the scanner over the uncached Azure DevOps adapter and Graph, the
 * radar over the shared Store (lease, subscriptions, last scan). The bot layer gives it its poster in startApp.
 */
import { AlertRadar, type AlertSettings } from '../src/alerts/radar';
import { AlertScanner, type PasswordReader } from '../src/alerts/scanner';
import { ALERT_DEFAULTS, type AlertConfig } from '../src/config';
import type { Clock } from '../src/domain/clock';
import type { ServiceEndpoints } from '../src/devops/service-endpoints.port';
import type { Logger } from '../src/logging';
import type { Store } from '../src/store/store.port';

export interface AlertsWiring {
  config: Readonly<AlertConfig>;
  store: Store;
  /** Uncached: a scan must see the service's current state. */
  devops: ServiceEndpoints;
  passwords: PasswordReader;
  projects: readonly string[];
  clock: Clock;
  logger: Logger;
}

export function alertSettings(config: Readonly<AlertConfig>, projects: readonly string[]): AlertSettings {
  return {
    intervalMinutes: config.scanMinutes, reminderHours: config.reminderHours, digestOver: config.digestOver,
    thresholds: { expiringWithinDays: config.expiryDays, unusedDays: config.unusedDays || ALERT_DEFAULTS.unusedDays, revertWithinHours: config.revertHours },
    checkUnused: config.unusedDays > 0, projects: [...projects],
  };
}

export function buildAlertRadar(w: AlertsWiring): AlertRadar {
  const settings = alertSettings(w.config, w.projects);
  const scanner = new AlertScanner({
    devops: w.devops, passwords: w.passwords, clock: w.clock, thresholds: settings.thresholds, checkUnused: settings.checkUnused, projects: settings.projects,
  });
  return new AlertRadar({ scanner, store: w.store, clock: w.clock, logger: w.logger, settings });
}
