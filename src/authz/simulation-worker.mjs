// Entry of a simulation worker thread (authz/simulation-pool.ts). Gatehouse runs through tsx's
// loader, which a worker thread must register for itself.
import { register } from 'tsx/esm/api';

register();
await import('./simulation-worker.ts');
