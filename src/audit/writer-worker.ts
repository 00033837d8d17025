// The event writer thread: appends each batch it is sent through its own connection (JSON
// parsing, hash chain, lookup keys) and answers with the ids written, or with the error.
import { parentPort, workerData } from 'node:worker_threads';
import { openEventAppender } from '../store/event-appender.ts';
import { lookupKeysOf } from './lookup-keys.ts';
import type { WriterData, WriterReply, WriterRequest } from './writer-thread.ts';

const data = workerData as WriterData;
const appender = openEventAppender(data.file, { eventKeys: lookupKeysOf });
const prefilter = data.prefilter && new RegExp(data.prefilter.source, data.prefilter.flags);
const port = parentPort!;

port.on('message', (m: WriterRequest) => {
  let reply: WriterReply;
  try {
    const written = appender.append(m.jsons, m.durable);
    reply = { id: m.id, first: written?.first ?? 0, last: written?.last ?? 0 };
    // A batch's events have consecutive ids, in the order sent.
    if (prefilter !== undefined && written !== undefined) {
      const candidates: number[] = [];
      for (let i = 0; i < m.jsons.length; i++) if (prefilter.test(m.jsons[i]!)) candidates.push(written.first + i);
      reply.candidates = candidates;
    }
  } catch (e) {
    reply = { id: m.id, error: { message: e instanceof Error ? e.message : String(e), code: (e as { code?: unknown }).code as string | undefined } };
  }
  port.postMessage(reply);
});
