/**
 * A log line that a hostile client cannot turn into a flood: per event, at most `perWindow`
 * lines each `windowMs`; past that the lines are counted, and the next line written says how
 * many were left out (`suppressed=N`). Used for refusals a client can provoke at will
 * (authentication, quotas, presence).
 */
import { log } from './log.ts';

type Level = Parameters<typeof log>[0];

interface Window {
	start: number;
	written: number;
	suppressed: number;
}

const windows = new Map<string, Window>();

export function logLimited(
	level: Level,
	event: string,
	fields: Record<string, unknown> = {},
	{ perWindow = 20, windowMs = 10_000 }: { perWindow?: number; windowMs?: number } = {}
): void {
	const now = Date.now();
	let w = windows.get(event);
	if (!w || now - w.start >= windowMs) {
		const suppressed = w?.suppressed ?? 0;
		w = { start: now, written: 0, suppressed: 0 };
		windows.set(event, w);
		if (suppressed > 0) fields = { ...fields, suppressed };
	}
	if (w.written >= perWindow) {
		w.suppressed++;
		return;
	}
	w.written++;
	log(level, event, fields);
}
