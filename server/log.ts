/**
 * One-line log output: `<time> <level> <event> key=value …`. Readable by a person watching the
 * console and greppable by tests. Values are JSON-encoded when they are not simple words.
 */
type Level = 'debug' | 'info' | 'warn' | 'error';
const RANK: Record<Level, number> = { debug: 0, info: 1, warn: 2, error: 3 };

let threshold: Level = 'info';

export function setLogLevel(level: Level): void {
	threshold = level;
}

function format(value: unknown): string {
	if (value instanceof Error) return JSON.stringify(value.message);
	if (typeof value === 'string' && /^[\w.:/@-]{1,200}$/.test(value)) return value;
	const s = JSON.stringify(value) ?? String(value);
	return s.length > 300 ? `${s.slice(0, 300)}…` : s;
}

export function log(level: Level, event: string, fields: Record<string, unknown> = {}): void {
	if (RANK[level] < RANK[threshold]) return;
	const parts = [new Date().toISOString(), level.toUpperCase(), event];
	for (const [k, v] of Object.entries(fields)) if (v !== undefined) parts.push(`${k}=${format(v)}`);
	const line = parts.join(' ');
	if (level === 'error' || level === 'warn') console.error(line);
	else console.log(line);
}
