// Imported first by main.ts so that OpenTelemetry patches http, express, mongoose and kafkajs
// before anything else loads them.
import { startTelemetry } from '@mutirao/telemetry';

startTelemetry('mutirao-exchange');
