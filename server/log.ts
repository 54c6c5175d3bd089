/**
 * Log output: one JSON object per line on stdout, `{"level":"info","time":…,"msg":"event",…fields}`
 * (`time` in ms since the epoch), written by pino (the ecosystem's usual logger, so log shippers
 * and `pino-pretty` read it as it is) with its level as a label. Lines go through
 * `process.stdout.write`, in order with the start banner. Long values are cut at 300
 * characters: hostile input (a 10 kB document name) must not flood the log.
 *
 * `prettyLine` renders such a line for a person (`<time> <LEVEL> <event> key=value …`); the
 * test helper uses it so that tests can match events by their readable form.
 */
import pino from 'pino';

type Level = 'debug' | 'info' | 'warn' | 'error';
const MAX_VALUE_CHARS = 300;

const logger = pino(
	{
		level: 'info',
		base: null,
		messageKey: 'msg',
		timestamp: pino.stdTimeFunctions.epochTime,
		formatters: { level: (label) => ({ level: label }) }
	},
	{ write: (line: string) => process.stdout.write(line) }
);

export function setLogLevel(level: Level): void {
	logger.level = level;
}

function cut(s: string): string {
	return s.length > MAX_VALUE_CHARS ? `${s.slice(0, MAX_VALUE_CHARS)}…` : s;
}

/** A field's value as it goes into the JSON line: errors by type, message and code; long strings cut. */
function jsonValue(value: unknown): unknown {
	if (value instanceof Error) {
		const code = (value as { code?: unknown }).code;
		return { type: value.name, message: cut(value.message), ...(code !== undefined ? { code } : {}) };
	}
	if (typeof value === 'string') return cut(value);
	if (typeof value === 'bigint') return Number(value);
	if (value !== null && typeof value === 'object') {
		const s = JSON.stringify(value) ?? String(value);
		return s.length > MAX_VALUE_CHARS ? cut(s) : value;
	}
	return value;
}

const OWN_KEYS = new Set(['level', 'time', 'msg']);

export function log(level: Level, event: string, fields: Record<string, unknown> = {}): void {
	if (!logger.isLevelEnabled(level)) return;
	const record: Record<string, unknown> = {};
	for (const [k, v] of Object.entries(fields)) {
		// A field named like the record's own keys (an admin's `level` of a place) keeps a trailing _.
		if (v !== undefined) record[OWN_KEYS.has(k) ? `${k}_` : k] = jsonValue(v);
	}
	logger[level](record, event);
}

function prettyValue(value: unknown): string {
	const error = value as { type?: unknown; message?: unknown } | null;
	if (typeof error?.message === 'string' && typeof error.type === 'string') return JSON.stringify(error.message);
	if (typeof value === 'string' && /^[\w.:/@-]{1,200}$/.test(value)) return value;
	return JSON.stringify(value) ?? String(value);
}

/** A log line for a person; lines that are not log records come back unchanged. */
export function prettyLine(line: string): string {
	if (!line.startsWith('{')) return line;
	let record: Record<string, unknown>;
	try {
		record = JSON.parse(line);
	} catch {
		return line;
	}
	if (typeof record.msg !== 'string' || typeof record.level !== 'string') return line;
	const { level, time, msg, ...fields } = record;
	const parts = [new Date(Number(time)).toISOString(), level.toUpperCase(), msg];
	for (const [k, v] of Object.entries(fields)) parts.push(`${k}=${prettyValue(v)}`);
	return parts.join(' ');
}
