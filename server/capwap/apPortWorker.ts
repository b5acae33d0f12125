import { parentPort, workerData } from 'node:worker_threads';
import { WORKER_MEMORY_INTERVAL_MS, type ApPortSettings, type FromApPort, type ToApPort } from './apPortProtocol';
import { threadMemory } from '../diagnostics/runtimeStats';
import { ApPortHost } from './apPortHost';

// The AP port's worker thread: TLS, WebSocket and socket.io framing for every AP, and the image
// blocks read from the cache, all off the event loop that answers the console's pages and API.

const port = parentPort!;
const host = new ApPortHost(workerData as ApPortSettings, (batch) => port.postMessage(batch));
port.on('message', (message: ToApPort) => host.received(message));

// The console's own memory figures cannot see into this thread's heap: it says what it holds.
const reportMemory = () => {
  const message: FromApPort = { type: 'memory', memory: threadMemory() };
  port.postMessage([message]);
};
reportMemory();
setInterval(reportMemory, WORKER_MEMORY_INTERVAL_MS).unref();
