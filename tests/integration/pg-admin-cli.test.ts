/**
 * A first deployment on PostgreSQL: the admin CLI with DATABASE_URL on a new, empty database
 * makes the street, a community, a grid and the first admin (the schema migrated by the CLI's
 * first run); the server then starts on that database with DEMO=0 and that admin logs in,
 * sees the tree and opens the grid the CLI made.
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readGridMeta } from '../../src/lib/domain/grid-doc.ts';
import { createTempDatabase, type TempDatabase } from '../../server/store/pg-test-database.ts';
import { call } from '../helpers/access.ts';
import { connect, waitAcknowledged } from '../helpers/collab.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

const ROOT = resolve(import.meta.dirname, '../..');
let db: TempDatabase;
let server: TestServer | null = null;

function admin(...args: string[]) {
	const node = Number(process.versions.node.split('.')[0]) >= 24 ? process.execPath : join(ROOT, 'node_modules/.bin/node');
	const r = spawnSync(node, ['server/cli/admin.ts', ...args], { cwd: ROOT, env: { ...process.env, DATABASE_URL: db.url }, encoding: 'utf8' });
	return { status: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(async () => {
	db = await createTempDatabase();
});
afterAll(async () => {
	await server?.stop();
	await db.drop();
});

describe('npm run admin on PostgreSQL', () => {
	it('creates the tree and a first admin in the database, who then logs in to a DEMO=0 server on it', async () => {
		expect(admin('create-place', '--level', 'street', '--id', 'st9', '--name', '桥头街道')).toMatchObject({ status: 0 });
		expect(admin('create-place', '--level', 'community', '--id', 'c9', '--name', '桥头村', '--parent', 'st9')).toMatchObject({ status: 0 });
		expect(admin('create-place', '--level', 'grid', '--id', 'g9', '--name', '桥头村一组', '--parent', 'c9')).toMatchObject({ status: 0 });
		const created = admin('create-user', '--username', 'alice', '--password', 'alice-first-pw', '--display-name', '爱丽丝', '--role', 'admin', '--place', 'st9');
		expect(created).toMatchObject({ status: 0, out: expect.stringContaining('created user alice') });
		expect(admin('create-user', '--username', 'alice', '--password', 'x-second-pw', '--display-name', 'A', '--role', 'admin', '--place', 'st9').status).not.toBe(0);
		expect(admin('list-users').out).toMatch(/alice\s+爱丽丝\s+admin@street:st9/);

		server = await startServer({ databaseUrl: db.url, env: { DEMO: '0' } });
		expect(server.output()).toMatch(/store\.opened .*kind=pg/);
		expect(server.output()).not.toMatch(/demo\.seeded/);
		const token = await server.login('alice', 'alice-first-pw');
		const places = await call(server, token, 'GET', '/api/admin/places');
		expect(JSON.stringify(places.body)).toContain('桥头村一组');
		const grid = connect(server.wsUrl, 'grid:g9', token);
		try {
			await waitAcknowledged(grid);
			expect(readGridMeta(grid.doc)).toMatchObject({ name: '桥头村一组', communityId: 'c9' });
		} finally {
			grid.destroy();
		}
	});
});
