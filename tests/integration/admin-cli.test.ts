/**
 * A real deployment's first start: the admin CLI on an empty DATA_DIR makes the street, a
 * community, a grid and the first admin; the server then starts with DEMO=0 (no demo data)
 * and that admin logs in and manages the tree.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readGridMeta } from '../../src/lib/domain/grid-doc.ts';
import { call } from '../helpers/access.ts';
import { connect, waitAcknowledged } from '../helpers/collab.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const dataDir = mkdtempSync(join(tmpdir(), 'tongxin-cli-'));
let server: TestServer | null = null;

function admin(...args: string[]) {
	const node = Number(process.versions.node.split('.')[0]) >= 24 ? process.execPath : join(ROOT, 'node_modules/.bin/node');
	const r = spawnSync(node, ['server/cli/admin.ts', ...args], { cwd: ROOT, env: { ...process.env, DATA_DIR: dataDir }, encoding: 'utf8' });
	return { status: r.status, out: r.stdout, err: r.stderr };
}

afterAll(async () => {
	await server?.stop();
	rmSync(dataDir, { recursive: true, force: true });
});

describe('npm run admin', () => {
	it('creates the tree and a first admin on an empty DATA_DIR, who then logs in to a DEMO=0 server', async () => {
		expect(existsSync(join(dataDir, 'tongxin.sqlite'))).toBe(false);
		expect(admin('create-place', '--level', 'street', '--id', 'st9', '--name', '桥头街道')).toMatchObject({ status: 0 });
		expect(admin('create-place', '--level', 'community', '--id', 'c9', '--name', '桥头村', '--parent', 'st9')).toMatchObject({ status: 0 });
		expect(admin('create-place', '--level', 'grid', '--id', 'g9', '--name', '桥头村一组', '--parent', 'c9')).toMatchObject({ status: 0 });
		const created = admin('create-user', '--username', 'alice', '--password', 'alice-first-pw', '--display-name', '爱丽丝', '--role', 'admin', '--place', 'st9');
		expect(created).toMatchObject({ status: 0, out: expect.stringContaining('created user alice') });
		expect(admin('add-membership', '--username', 'alice', '--role', 'committee', '--place', 'c9').status).toBe(0);
		expect(admin('list-users').out).toMatch(/alice\s+爱丽丝\s+committee@community:c9, admin@street:st9/);

		// Mistakes stop with a message and exit code 2, changing nothing.
		const bad = admin('create-user', '--username', 'bob', '--password', 'bob-password', '--display-name', 'Bob', '--role', 'chief', '--place', 'st9');
		expect(bad.status).toBe(2);
		expect(bad.err).toMatch(/--role must be one of/);
		expect(admin('create-place', '--level', 'grid', '--id', 'g10', '--name', 'x', '--parent', 'st9').err).toMatch(/--parent must be an existing community/);
		expect(admin('frobnicate').status).toBe(2);
		expect(admin('list-users').out).not.toMatch(/bob/);

		server = await startServer({ dataDir, env: { DEMO: '0' } });
		expect(server.output()).not.toMatch(/Demo logins/);
		expect((await call(server, null, 'POST', '/api/session', { username: 'demo-admin', password: 'tongxin-demo' })).status).toBe(401);
		const token = await server.login('alice', 'alice-first-pw');
		const tree = await call(server, token, 'GET', '/api/admin/places');
		expect(tree.body.places).toMatchObject([{ id: 'st9', name: '桥头街道', children: [{ id: 'c9', children: [{ id: 'g9', name: '桥头村一组' }] }] }]);
		expect((await call(server, token, 'GET', '/api/grids')).body).toEqual([{ id: 'g9', name: '桥头村一组', communityId: 'c9' }]);
		const c = connect(server.wsUrl, 'grid:g9', token);
		try {
			await waitAcknowledged(c);
			expect(readGridMeta(c.doc)).toMatchObject({ name: '桥头村一组', communityId: 'c9' });
		} finally {
			c.destroy();
		}
	});
});
