/**
 * A connection flap (offline then online again before the old WebSocket has closed) must not
 * leave the socket disconnected for good: the provider's own connect() does nothing while the
 * closing socket still says Connected, and its disconnect() turned reconnecting off.
 * connectSocket (src/lib/client/socket-connect.ts, used by the app's online handler) waits for
 * the close and connects then.
 */
import { describe, expect, it } from 'vitest';
import { addHousehold } from '../../src/lib/domain/grid-doc.ts';
import { connectSocket } from '../../src/lib/client/socket-connect.ts';
import { useServerAndClients, waitAcknowledged, waitFor } from '../helpers/collab.ts';

const f = useServerAndClients();

describe('connectSocket', () => {
	it('reconnects a socket that is online again before its close arrived, and the edit made meanwhile is acknowledged', async () => {
		const c = f.open('grid:g1', await f.server.login('demo-gridworker'));
		await waitAcknowledged(c);
		let connects = 0;
		c.socket.on('connect', () => connects++);

		c.socket.disconnect();
		expect(c.socket.status).toBe('connected'); // the close has not arrived yet
		connectSocket(c.socket);
		addHousehold(c.doc, { address: '闪断地址', lng: 120.24, lat: 29.71, head: '闪断', size: 1, phone: '', tags: [], colour: 'green' }, 'u-demo-gridworker');

		await waitFor(() => connects === 1, 'the socket to connect again');
		await waitAcknowledged(c);
		expect(c.socket.status).toBe('connected');
	});

	it('does not connect once the close arrives if it is no longer wanted (offline again)', async () => {
		const c = f.open('grid:g1', await f.server.login('demo-gridworker'));
		await waitAcknowledged(c);
		let online = true;
		c.socket.disconnect();
		connectSocket(c.socket, () => online);
		online = false;
		await waitFor(() => c.socket.status === 'disconnected', 'the old socket to close');
		await new Promise((r) => setTimeout(r, 10)); // past the deferred decision
		expect(c.socket.status).toBe('disconnected');
		expect(c.socket.shouldConnect).toBe(false);
	});
});
