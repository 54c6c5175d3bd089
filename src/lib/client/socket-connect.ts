/**
 * (Re)connects a HocuspocusProviderWebsocket, also right after a disconnect() whose close has
 * not arrived yet. The socket keeps saying Connected until the old WebSocket's close event
 * (which waits for the server's close frame: seconds on a busy server, longer on a flaky
 * network), and connect() does nothing while it says Connected. Its disconnect() has already
 * turned reconnecting off, so when that close arrives the socket stayed disconnected for good.
 * Here the connect waits for the close instead.
 */
import { type HocuspocusProviderWebsocket, WebSocketStatus } from '@hocuspocus/provider';

const waiting = new WeakSet<HocuspocusProviderWebsocket>();

/**
 * Connects `ws` if `wanted()` (e.g. online, not logged out; default: yes), at once or as soon
 * as its closing WebSocket has closed, asking `wanted()` again then.
 */
export function connectSocket(ws: HocuspocusProviderWebsocket, wanted: () => boolean = () => true): void {
	if (!wanted()) return;
	// shouldConnect is false only after disconnect(): Connected then means "still closing"
	if (ws.status !== WebSocketStatus.Connected || ws.shouldConnect) {
		void ws.connect();
		return;
	}
	if (waiting.has(ws)) return;
	waiting.add(ws);
	const onStatus = ({ status }: { status: WebSocketStatus }) => {
		if (status !== WebSocketStatus.Disconnected) return;
		ws.off('status', onStatus);
		ws.off('destroy', onDestroy);
		waiting.delete(ws);
		// after the socket's own close handling has finished
		setTimeout(() => {
			if (wanted()) void ws.connect();
		}, 0);
	};
	const onDestroy = () => {
		ws.off('status', onStatus);
		waiting.delete(ws);
	};
	ws.on('status', onStatus);
	ws.on('destroy', onDestroy);
}
