/**
 * Security headers on every SvelteKit response (the Content-Security-Policy itself comes from
 * kit.csp in svelte.config.js). No framing (clickjacking), no MIME sniffing, no referrer to
 * other sites, this window kept apart from others (COOP), only the features the app uses, and
 * HSTS when served over https.
 */
const HEADERS: Record<string, string> = {
	'x-content-type-options': 'nosniff',
	'x-frame-options': 'DENY',
	'referrer-policy': 'same-origin',
	'cross-origin-opener-policy': 'same-origin',
	'permissions-policy': 'camera=(), microphone=(), payment=(), usb=(), geolocation=(self)'
};

export function setSecurityHeaders(headers: Headers, https: boolean): void {
	for (const [name, value] of Object.entries(HEADERS)) if (!headers.has(name)) headers.set(name, value);
	if (https) headers.set('strict-transport-security', 'max-age=31536000');
}
