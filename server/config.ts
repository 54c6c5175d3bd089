/**
 * Server configuration: environment variables with safe defaults, validated once at start.
 * A bad value stops the process with one clear line per problem, before anything listens.
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_WRITE_RATES, type WriteRates } from '../src/lib/domain/limits.ts';

const flag = z
	.string()
	.optional()
	.transform((v) => v === undefined || !['0', 'false', 'no', 'off'].includes(v.trim().toLowerCase()));

const schema = z.object({
	PORT: z.coerce.number().int().min(0).max(65535).default(3000),
	/** Unset: 127.0.0.1 with DEMO (its passwords are public), else 0.0.0.0 (see hostFor). */
	HOST: z.string().min(1).optional(),
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
	LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
	/**
	 * Behind a proxy: the header holding the client's address (e.g. x-forwarded-for), and for
	 * x-forwarded-for how many proxies from the right to trust. Read by adapter-node itself
	 * (getClientAddress: login rate limit); validated here so a typo stops the start.
	 */
	ADDRESS_HEADER: z
		.string()
		.regex(/^[A-Za-z0-9-]{1,100}$/, 'must be a header name')
		.optional(),
	XFF_DEPTH: z.coerce.number().int().min(1).max(20).default(1),
	/** Write quotas (src/lib/domain/limits.ts has the defaults and why): per user, per document. */
	USER_WRITE_BURST_BYTES: z.coerce.number().int().min(64 * 1024).optional(),
	USER_WRITE_BYTES_PER_S: z.coerce.number().int().min(1).optional(),
	USER_UPDATES_PER_S: z.coerce.number().int().min(1).optional(),
	DOC_WRITE_BURST_BYTES: z.coerce.number().int().min(64 * 1024).optional(),
	DOC_WRITE_BYTES_PER_S: z.coerce.number().int().min(1).optional()
});

export type Config = Omit<z.infer<typeof schema>, 'DATA_DIR' | 'HOST'> & {
	DATA_DIR: string;
	dbFile: string;
	HOST: string;
	/** Whether HOST came from the environment (not the default). */
	hostSet: boolean;
};

/**
 * The address to listen on when HOST is unset: demo data has a public password, so a demo
 * server is reachable from this machine only until someone opens it on purpose.
 */
export function defaultHost(demo: boolean): string {
	return demo ? '127.0.0.1' : '0.0.0.0';
}

/** The write quotas: the domain's defaults with the configured values in their place. */
export function writeRates(config: Config): WriteRates {
	const d = DEFAULT_WRITE_RATES;
	return {
		userBytes: { burst: config.USER_WRITE_BURST_BYTES ?? d.userBytes.burst, perSecond: config.USER_WRITE_BYTES_PER_S ?? d.userBytes.perSecond },
		userUpdates: { burst: (config.USER_UPDATES_PER_S ?? d.userUpdates.perSecond) * 20, perSecond: config.USER_UPDATES_PER_S ?? d.userUpdates.perSecond },
		docBytes: { burst: config.DOC_WRITE_BURST_BYTES ?? d.docBytes.burst, perSecond: config.DOC_WRITE_BYTES_PER_S ?? d.docBytes.perSecond }
	};
}

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
	const host = parsed.data.HOST ?? defaultHost(parsed.data.DEMO);
	return { ...parsed.data, HOST: host, hostSet: parsed.data.HOST !== undefined, DATA_DIR: dataDir, dbFile: resolve(dataDir, 'tongxin.sqlite') };
}
