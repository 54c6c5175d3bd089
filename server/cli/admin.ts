/**
 * The admin command line, for a new deployment's first admin and its jurisdiction tree
 * (issue 3). Works on the database in DATA_DIR (default ./data) whether or not the server is
 * running, and never seeds demo data, so a real deployment starts with `DEMO=0`:
 *
 *   npm run admin -- create-place --level street --id st1 --name 枫桥街道
 *   npm run admin -- create-place --level community --id c1 --name 枫源村 --parent st1
 *   npm run admin -- create-user --username alice --password '…' --display-name 爱丽丝 --role admin --place st1
 *   npm run admin -- add-membership --username bob --role liaison --place g1
 *   npm run admin -- list-users
 *   npm run admin -- log-growth --hours 24
 *
 * A membership's level is the level of its place. Changes made here reach a running server's
 * open connections at its next revocation sweep (RevocationExtension), not at once.
 */
import { parseArgs } from 'node:util';
import * as Y from 'yjs';
import { gridDocName } from '../../src/lib/domain/doc-names.ts';
import { setGridMeta } from '../../src/lib/domain/grid-doc.ts';
import { newId } from '../../src/lib/domain/ids.ts';
import { isRole, type Level, type Membership } from '../../src/lib/domain/roles.ts';
import { DisplayName, Password, PlaceId, PlaceName, Username } from '../../src/lib/server/admin/schemas.ts';
import { hashPassword } from '../../src/lib/server/auth/password.ts';
import type { AsyncStore } from '../../src/lib/server/async-store.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { openStore } from '../store/open-store.ts';
import { formatLogGrowth, logGrowth } from './log-growth.ts';

const USAGE = `Usage: npm run admin -- <command> [options]   (database: $DATABASE_URL if set, else $DATA_DIR/tongxin.sqlite)

  create-place   --level street|community|grid --id <id> --name <name> [--parent <id>]
  create-user    --username <name> --password <password> --display-name <name> --role <role> --place <id>
  add-membership --username <name> --role <role> --place <id>
  list-users
  log-growth     [--hours <n>]   the update log per document and its growth (default: last 24 h)

Roles: admin, committee, gridWorker, liaison, policeDeputy, mediator.`;

class UsageError extends Error {}

const PARENT_LEVEL: Record<Level, Level | null> = { street: null, community: 'street', grid: 'community' };

function required(values: Record<string, string | undefined>, name: string): string {
	const value = values[name];
	if (value === undefined || value === '') throw new UsageError(`--${name} is required`);
	return value;
}

/** Parses `value` with a zod schema, or stops with the option's name and the reason. */
function valid<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { message: string }[] } } }, name: string, value: string): T {
	const r = schema.safeParse(value);
	if (!r.success) throw new UsageError(`--${name} ${r.error.issues.map((i) => i.message).join('; ')}`);
	return r.data;
}

async function membershipAt(store: AsyncStore, role: string, placeId: string): Promise<Membership> {
	if (!isRole(role)) throw new UsageError(`--role must be one of admin, committee, gridWorker, liaison, policeDeputy, mediator`);
	const place = await store.place(placeId);
	if (!place) throw new UsageError(`no place ${placeId}: create it first with create-place`);
	return { role, level: place.level, placeId };
}

async function createPlace(store: AsyncStore, v: Record<string, string | undefined>): Promise<string> {
	const level = required(v, 'level');
	if (level !== 'street' && level !== 'community' && level !== 'grid') throw new UsageError('--level must be street, community or grid');
	const id = valid(PlaceId, 'id', required(v, 'id'));
	const name = valid(PlaceName, 'name', required(v, 'name'));
	const parentLevel = PARENT_LEVEL[level];
	let parentId: string | null = null;
	if (parentLevel) {
		parentId = required(v, 'parent');
		const parent = await store.place(parentId);
		if (!parent || parent.level !== parentLevel) throw new UsageError(`--parent must be an existing ${parentLevel} for a ${level}`);
	} else if (v.parent) {
		throw new UsageError('a street has no parent');
	}
	if (await store.place(id)) throw new UsageError(`a place with id ${id} exists`);
	await store.transaction(async (tx) => {
		await tx.upsertPlace({ id, level, parentId, name });
		if (level === 'grid') {
			// The grid document starts with its name and community, as when an admin creates it online.
			const doc = new Y.Doc();
			setGridMeta(doc, { name, communityId: parentId! });
			await tx.appendUpdate(gridDocName(id), 'system', Y.encodeStateAsUpdate(doc));
			doc.destroy();
		}
	});
	return `created ${level} ${id} (${name})${parentId ? ` under ${parentId}` : ''}`;
}

async function createUser(store: AsyncStore, v: Record<string, string | undefined>): Promise<string> {
	const username = valid(Username, 'username', required(v, 'username'));
	const password = valid(Password, 'password', required(v, 'password'));
	const displayName = valid(DisplayName, 'display-name', required(v, 'display-name'));
	const membership = await membershipAt(store, required(v, 'role'), required(v, 'place'));
	if (await store.userByUsername(username)) throw new UsageError(`username ${username} is taken`);
	const passwordHash = await hashPassword(password);
	const id = `u-${newId()}`;
	await store.transaction(async (tx) => {
		await tx.createUser({ id, username, displayName, passwordHash });
		await tx.addMembership(id, membership);
	});
	return `created user ${username} (${displayName}), ${membership.role} of ${membership.level} ${membership.placeId}`;
}

async function addMembership(store: AsyncStore, v: Record<string, string | undefined>): Promise<string> {
	const username = required(v, 'username');
	const user = await store.userByUsername(username);
	if (!user) throw new UsageError(`no user ${username}`);
	const membership = await membershipAt(store, required(v, 'role'), required(v, 'place'));
	await store.addMembership(user.id, membership);
	return `${username} is now ${membership.role} of ${membership.level} ${membership.placeId}`;
}

async function listUsers(store: AsyncStore): Promise<string> {
	const lines = (await store.listUsers()).map((u) => {
		const ms = u.memberships.map((m) => `${m.role}@${m.level}:${m.placeId}`).join(', ') || '(no memberships)';
		return `${u.username.padEnd(20)} ${u.disabled ? 'DISABLED ' : ''}${u.displayName}  ${ms}`;
	});
	return lines.length > 0 ? lines.join('\n') : '(no users)';
}

async function run(argv: string[]): Promise<string> {
	const [command, ...rest] = argv;
	const { values } = parseArgs({
		args: rest,
		options: {
			level: { type: 'string' },
			id: { type: 'string' },
			name: { type: 'string' },
			parent: { type: 'string' },
			username: { type: 'string' },
			password: { type: 'string' },
			'display-name': { type: 'string' },
			role: { type: 'string' },
			place: { type: 'string' },
			hours: { type: 'string' }
		},
		strict: true
	});
	if (!command || command === 'help' || command === '--help') throw new UsageError('');
	const config = loadConfig();
	if (command === 'log-growth') {
		if (config.DATABASE_URL) throw new UsageError('log-growth reads the SQLite log in DATA_DIR; unset DATABASE_URL to use it');
		const hours = values.hours === undefined ? 24 : Number(values.hours);
		if (!Number.isFinite(hours) || hours <= 0) throw new UsageError('--hours must be a positive number');
		return formatLogGrowth(logGrowth(config.dbFile, Date.now() - hours * 3600 * 1000), hours);
	}
	// An operator's command may wait for the server's write; the server never waits long for it.
	const store = await openStore({ DATABASE_URL: config.DATABASE_URL, dbFile: config.dbFile, sqlite: { busyTimeoutMs: 5_000 } });
	try {
		switch (command) {
			case 'create-place':
				return await createPlace(store, values);
			case 'create-user':
				return await createUser(store, values);
			case 'add-membership':
				return await addMembership(store, values);
			case 'list-users':
				return await listUsers(store);
			default:
				throw new UsageError(`unknown command ${command}`);
		}
	} finally {
		await store.close();
	}
}

run(process.argv.slice(2)).then(
	(message) => console.log(message),
	(error: unknown) => {
		if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
			if (error instanceof Error && error.message) console.error(`admin: ${error.message}\n`);
			console.error(USAGE);
			process.exit(2);
		}
		if (error instanceof ConfigError) {
			console.error(error.message);
			process.exit(2);
		}
		console.error('admin: failed:', error);
		process.exit(1);
	}
);
