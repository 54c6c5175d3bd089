/**
 * Security headers on every HTTP response: pages, the API, and the files adapter-node serves
 * itself without running SvelteKit's hooks (/_app/immutable/*, the favicon, the manifest,
 * service-worker.js, prerendered pages). Set once, in server/http-server.ts, before the
 * request reaches SvelteKit. No framing (clickjacking), no MIME sniffing, no referrer to other
 * sites, this window kept apart from others (COOP), only the features the app uses, and HSTS
 * when served over https. The Content-Security-Policy is the pages' own (kit.csp in
 * svelte.config.js, with a nonce per page): a script or an image file has no use for one.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
	'x-content-type-options': 'nosniff',
	'x-frame-options': 'DENY',
	'referrer-policy': 'same-origin',
	'cross-origin-opener-policy': 'same-origin',
	'permissions-policy': 'camera=(), microphone=(), payment=(), usb=(), geolocation=(self)'
};

export const HSTS = { name: 'strict-transport-security', value: 'max-age=31536000' } as const;

/** The headers for one response; `https` adds HSTS. */
export function securityHeaders(https: boolean): [name: string, value: string][] {
	const out = Object.entries(SECURITY_HEADERS);
	if (https) out.push([HSTS.name, HSTS.value]);
	return out;
}
