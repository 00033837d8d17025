// A simulation worker thread: runs each job it is sent within the budget it was started with
// and answers its page of results, or that it ran out of time.
import { parentPort, workerData } from 'node:worker_threads';
import { SimulationOverBudget } from './simulate.ts';
import { runSimulationJob } from './simulation-job.ts';
import type { SimulationReply, SimulationRequest, SimulationWorkerData } from './simulation-pool.ts';

const { budgetMs } = workerData as SimulationWorkerData;

parentPort!.on('message', (request: SimulationRequest) => {
  const deadline = performance.now() + budgetMs;
  let reply: SimulationReply;
  try {
    reply = { id: request.id, results: runSimulationJob(request.job, () => performance.now() > deadline) };
  } catch (e) {
    reply = { id: request.id, overBudget: e instanceof SimulationOverBudget, error: e instanceof Error ? e.message : String(e) };
  }
  parentPort!.postMessage(reply);
});

parentPort!.postMessage({ ready: true } satisfies SimulationReply);
