// Entry of the event writer thread (sqlite-event-sink.ts). Gatehouse runs through tsx's loader,
// which a worker thread must register for itself.
import { register } from 'tsx/esm/api';

register();
await import('./sqlite-event-worker.ts');
