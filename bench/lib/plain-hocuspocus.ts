/**
 * A plain, in-memory Hocuspocus 4 server (no auth, no persistence, no logging): run by the
 * bench as a third server, so that our server's figures can be split into what Hocuspocus
 * itself costs and what our extensions add. `PORT` from the environment.
 */
import { Server } from '@hocuspocus/server';

const server = new Server({ port: Number(process.env.PORT), address: '127.0.0.1', quiet: true });
await server.listen();
console.log(`plain hocuspocus running on ${process.env.PORT}`);
