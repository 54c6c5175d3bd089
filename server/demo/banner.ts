/** The demo logins, printed at start so that a first-time user can sign in at once. */
import { DEMO_PASSWORD, DEMO_USERS } from './seed.ts';

export function printDemoLogins(): void {
	const rows = DEMO_USERS.map((u) => [u.username, u.membership.role, `${u.membership.level} ${u.membership.placeId}`, u.displayName]);
	const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length), 8));
	console.log(`Demo logins (password: ${DEMO_PASSWORD}):`);
	for (const r of rows) console.log(`  ${r[0].padEnd(widths[0])}  ${r[1].padEnd(widths[1])}  ${r[2].padEnd(widths[2])}  ${r[3]}`);
}
