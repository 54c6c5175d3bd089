import { afterEach, describe, expect, it, vi } from 'vitest';
import { log, prettyLine, setLogLevel } from './log.ts';

function captured(run: () => void): string[] {
	const lines: string[] = [];
	const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
		lines.push(String(chunk));
		return true;
	});
	try {
		run();
	} finally {
		spy.mockRestore();
	}
	return lines;
}

afterEach(() => setLogLevel('info'));

describe('log output (LOG_LEVEL, README)', () => {
	it('writes one JSON object per line on stdout with level, time, msg and the fields, errors included', () => {
		const lines = captured(() => {
			log('info', 'admin.placeCreated', { by: 'demo-admin', level: 'grid', points: 5 });
			log('error', 'collab.appendFailed', { doc: 'grid:g1', error: Object.assign(new Error('database is locked'), { code: 'ERR_SQLITE_ERROR' }) });
		});
		expect(lines).toHaveLength(2);
		for (const line of lines) expect(line.endsWith('\n') && !line.slice(0, -1).includes('\n')).toBe(true);
		const [a, b] = lines.map((l) => JSON.parse(l));
		expect(a).toMatchObject({ level: 'info', msg: 'admin.placeCreated', by: 'demo-admin', level_: 'grid', points: 5 });
		expect(Math.abs(a.time - Date.now())).toBeLessThan(60_000);
		expect(b).toMatchObject({ level: 'error', msg: 'collab.appendFailed', error: { message: 'database is locked', code: 'ERR_SQLITE_ERROR' } });
	});

	it('drops events below LOG_LEVEL and cuts hostile long values', () => {
		setLogLevel('warn');
		const lines = captured(() => {
			log('info', 'collab.docLoaded', { doc: 'grid:g1' });
			log('warn', 'collab.refused', { doc: `grid:${'g'.repeat(10_000)}` });
		});
		expect(lines).toHaveLength(1);
		expect(lines[0].length).toBeLessThan(500);
	});

	it('renders a line for a person, leaving other lines alone', () => {
		const [line] = captured(() => log('warn', 'http.refused', { route: 'POST /api/admin/users', status: 403, error: 'forbidden' }));
		expect(prettyLine(line.trim())).toMatch(/^\S+Z WARN http\.refused route="POST \/api\/admin\/users" status=403 error=forbidden$/);
		expect(prettyLine('Tongxin listening on http://127.0.0.1:3000')).toBe('Tongxin listening on http://127.0.0.1:3000');
	});
});
