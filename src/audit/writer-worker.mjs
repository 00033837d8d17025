// Entry of the event writer thread (audit/writer-thread.ts). Gatehouse runs through tsx's loader,
// which a worker thread must register for itself.
import { register } from 'tsx/esm/api';

register();
await import('./writer-worker.ts');
