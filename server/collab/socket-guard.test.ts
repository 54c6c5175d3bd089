import { describe, expect, it } from 'vitest';
import { SocketGuard } from './socket-guard.ts';

const closer = () => {
	const closed: [number, string][] = [];
	return { closed, close: (code: number, reason: string) => closed.push([code, reason]) };
};
const tick = () => new Promise((r) => setImmediate(r));

describe('SocketGuard', () => {
	it('caps unauthenticated sockets per address; an authenticated or closed one frees its place', () => {
		const guard = new SocketGuard({ maxPendingPerAddress: 2 });
		const a = guard.open('10.0.0.1', () => {})!;
		const b = guard.open('10.0.0.1', () => {})!;
		expect(guard.open('10.0.0.1', () => {})).toBeNull();
		expect(guard.open('10.0.0.2', () => {})).not.toBeNull(); // another address
		a.handle.authenticated();
		const c = guard.open('10.0.0.1', () => {});
		expect(c).not.toBeNull();
		expect(guard.open('10.0.0.1', () => {})).toBeNull();
		b.released();
		expect(guard.open('10.0.0.1', () => {})).not.toBeNull();
		expect(guard.closed['too-many-pending-sockets']).toBe(2);
	});

	it('closes a socket that never authenticated when its token or document name is refused', async () => {
		const guard = new SocketGuard();
		for (const reason of ['invalid-token', 'missing-token', 'invalid-document-name']) {
			const { closed, close } = closer();
			const s = guard.open('a', close)!;
			s.handle.refused(reason);
			await tick();
			expect(closed).toEqual([[4401, 'authentication-refused']]);
			s.released();
		}
	});

	it('keeps a socket with live documents when another document is refused, up to a limit', async () => {
		const guard = new SocketGuard({ maxRefusals: 3 });
		const { closed, close } = closer();
		const s = guard.open('a', close)!;
		s.handle.authenticated();
		s.handle.refused('forbidden');
		s.handle.refused('invalid-token');
		s.handle.refused('unknown-document');
		await tick();
		expect(closed).toEqual([]);
		s.handle.refused('forbidden');
		await tick();
		expect(closed).toEqual([[4401, 'authentication-refused']]);
	});

	it('closes a socket that has not authenticated by the deadline', async () => {
		const guard = new SocketGuard({ authDeadlineMs: 20 });
		const late = closer();
		guard.open('a', late.close);
		const prompt = closer();
		guard.open('a', prompt.close)!.handle.authenticated();
		await new Promise((r) => setTimeout(r, 60));
		expect(late.closed).toEqual([[4408, 'authentication-timeout']]);
		expect(prompt.closed).toEqual([]);
	});
});
