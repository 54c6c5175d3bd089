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
	/** How often every open connection's access is judged again, in ms (0: only on notices). */
	REVOCATION_SWEEP_MS: z.coerce.number().int().min(0).default(30_000),
	/** Days a device may open its documents offline after the last login or validation (told to clients). */
	OFFLINE_GRACE_DAYS: z.coerce.number().int().min(1).max(365).default(14),
	LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
	/** Write quotas (src/lib/domain/limits.ts has the defaults and why): per user, per document. */
	USER_WRITE_BURST_BYTES: z.coerce.number().int().min(64 * 1024).optional(),
	USER_WRITE_BYTES_PER_S: z.coerce.number().int().min(1).optional(),
	USER_UPDATES_PER_S: z.coerce.number().int().min(1).optional(),
	DOC_WRITE_BURST_BYTES: z.coerce.number().int().min(64 * 1024).optional(),
	DOC_WRITE_BYTES_PER_S: z.coerce.number().int().min(1).optional()
});

export type Config = Omit<z.infer<typeof schema>, 'DATA_DIR'> & { DATA_DIR: string; dbFile: string };

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
	return { ...parsed.data, DATA_DIR: dataDir, dbFile: resolve(dataDir, 'tongxin.sqlite') };
}
