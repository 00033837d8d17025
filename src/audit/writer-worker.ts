// The event writer thread: appends each batch it is sent through its own connection (JSON
// parsing, hash chain, lookup keys) and answers with the ids written, or with the error.
import { parentPort, workerData } from 'node:worker_threads';
import { openEventAppender } from '../store/event-appender.ts';
import { lookupKeysOf } from './lookup-keys.ts';
import type { WriterReply, WriterRequest } from './writer-thread.ts';

const appender = openEventAppender((workerData as { file: string }).file, { eventKeys: lookupKeysOf });
const port = parentPort!;

port.on('message', (m: WriterRequest) => {
  let reply: WriterReply;
  try {
    const written = appender.append(m.jsons, m.durable);
    reply = { id: m.id, first: written?.first ?? 0, last: written?.last ?? 0 };
  } catch (e) {
    reply = { id: m.id, error: { message: e instanceof Error ? e.message : String(e), code: (e as { code?: unknown }).code as string | undefined } };
  }
  port.postMessage(reply);
});
