/** What the kernel says about a process (Linux /proc), and a free local port. */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

const TICKS_PER_SECOND = 100;

/** User + system CPU seconds used so far by process `pid`. */
export function cpuSeconds(pid: number): number {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	// Fields after the command name (which may contain spaces) start after the last ')'.
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** Resident memory of process `pid`, in bytes. */
export function rssBytes(pid: number): number {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const m = /VmRSS:\s+(\d+) kB/.exec(status);
	return m ? Number(m[1]) * 1024 : NaN;
}

export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const srv = createServer();
		srv.once('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const address = srv.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			srv.close(() => resolve(port));
		});
	});
}
