/**
 * Server configuration: environment variables with safe defaults, validated once at start.
 * A bad value stops the process with one clear line per problem, before anything listens.
 */
import { resolve } from 'node:path';
import { z } from 'zod';

const flag = z
	.string()
	.optional()
	.transform((v) => v === undefined || !['0', 'false', 'no', 'off'].includes(v.trim().toLowerCase()));

const schema = z.object({
	PORT: z.coerce.number().int().min(0).max(65535).default(3000),
	HOST: z.string().min(1).default('0.0.0.0'),
	DATA_DIR: z.string().min(1).default('./data'),
	DEMO: flag,
	DATABASE_URL: z.string().url().optional(),
	REDIS_URL: z.string().url().optional(),
	ORIGIN: z.string().url().optional(),
	/** Largest WebSocket message accepted, in bytes; larger ones close the socket (1009). */
	MAX_MESSAGE_BYTES: z.coerce.number().int().min(1024).default(8 * 1024 * 1024),
	/** Updates in the log after a snapshot before the next snapshot is written. */
	SNAPSHOT_EVERY: z.coerce.number().int().min(1).default(200),
	/** FULL: every logged update is fsynced before its ack (survives power loss); NORMAL: survives a killed process only. */
	SQLITE_SYNCHRONOUS: z.enum(['FULL', 'NORMAL']).default('FULL'),
	/** How often every open connection's access is judged again, in ms (0: only on notices). */
	REVOCATION_SWEEP_MS: z.coerce.number().int().min(0).default(30_000),
	/** Days a device may open its documents offline after the last login or validation (told to clients). */
	OFFLINE_GRACE_DAYS: z.coerce.number().int().min(1).max(365).default(14),
	LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info')
});

export type Config = Omit<z.infer<typeof schema>, 'DATA_DIR'> & { DATA_DIR: string; dbFile: string };

export class ConfigError extends Error {}

/** The configuration from `env`; throws a ConfigError that lists every invalid variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
	// Empty strings count as unset, as in most shells' `VAR= cmd`.
	const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
	const parsed = schema.safeParse(cleaned);
	if (!parsed.success) {
		const lines = parsed.error.issues.map(
			(i) => `  ${i.path.join('.')}=${JSON.stringify(cleaned[String(i.path[0])] ?? '')}: ${i.message}`
		);
		throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
	}
	const dataDir = resolve(parsed.data.DATA_DIR);
	return { ...parsed.data, DATA_DIR: dataDir, dbFile: resolve(dataDir, 'tongxin.sqlite') };
}
