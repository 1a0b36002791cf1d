/**
 * A process that starts telemetry from its environment exactly as bot/main.ts does (loadConfig → startTelemetry),
 * records one plan-run span and one counter through the Telemetry port, shuts telemetry down (which flushes) and
 * prints what it did: test/e2e/telemetry-export.test.ts reads what reached its collector.
 */
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logging';
import { OtelTelemetry } from '../../src/telemetry/otel-telemetry';
import { startTelemetry } from '../../src/telemetry/start-telemetry';

const config = loadConfig(process.env);
const running = await startTelemetry(config.telemetry, createLogger({ level: 'warn', format: 'json' }));
const telemetry = new OtelTelemetry();
await telemetry.span('scbot.plan.run', { planId: 'P-EXPORT01', operation: 'convert', trigger: 'approval' }, async () => {
  telemetry.count('plans.proposed', { operation: 'convert' });
});
await running?.shutdown();
console.log(running ? 'telemetry: on' : 'telemetry: off');
