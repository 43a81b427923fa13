// Imported first by main.ts so that OpenTelemetry patches http and express before they load.
import { startTelemetry } from '@mutirao/telemetry';

startTelemetry('mutirao-web');
