import { parentPort, workerData } from 'node:worker_threads';
import type { ApPortSettings, ToApPort } from './apPortProtocol';
import { ApPortHost } from './apPortHost';

// The AP port's worker thread: TLS, WebSocket and socket.io framing for every AP, and the image
// blocks read from the cache, all off the event loop that answers the console's pages and API.

const port = parentPort!;
const host = new ApPortHost(workerData as ApPortSettings, (batch) => port.postMessage(batch));
port.on('message', (message: ToApPort) => host.received(message));
