/**
 * The demo logins, printed at start so that a first-time user can sign in at once, and where
 * the server can be reached from: the demo password is public, so by default only from this
 * machine (config.ts), and the banner says how to open it to tablets on the LAN.
 */
import { DEMO_PASSWORD, DEMO_USERS } from './seed.ts';

const LOOPBACK = /^(127\.|::1$|localhost$)/;

/** The banner's lines for a demo server listening on `host` at `port`. */
export function demoBanner(host: string, port: number): string[] {
	const rows = DEMO_USERS.map((u) => [u.username, u.membership.role, `${u.membership.level} ${u.membership.placeId}`, u.displayName]);
	const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length), 8));
	const lines = [`Demo logins (password: ${DEMO_PASSWORD}):`];
	for (const r of rows) lines.push(`  ${r[0].padEnd(widths[0])}  ${r[1].padEnd(widths[1])}  ${r[2].padEnd(widths[2])}  ${r[3]}`);
	if (LOOPBACK.test(host)) {
		lines.push(
			`The demo password is public, so this server listens on ${host} only: open http://${host.includes(':') ? `[${host}]` : host}:${port} on this computer.`,
			`To let tablets on the LAN in, start it with HOST=0.0.0.0 (e.g. \`HOST=0.0.0.0 npm start\`) on a network you trust,`,
			`or with DEMO=0 on a new DATA_DIR and your own accounts (README, "Start").`
		);
	} else {
		lines.push(`WARNING: these demo accounts, with their public password, can be reached from the network (HOST=${host}).`);
	}
	return lines;
}

export function printDemoLogins(host: string, port: number): void {
	for (const line of demoBanner(host, port)) console.log(line);
}
