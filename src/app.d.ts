// See https://svelte.dev/docs/kit/types#app.d.ts
import type { SessionRecord } from '$lib/server/store.ts';
import type { SessionUser } from '$lib/server/auth/session.ts';

declare global {
	namespace App {
		interface Error {
			message: string;
			code?: string;
		}
		interface Locals {
			/** The signed-in user (cookie `tongxin_session` or `Authorization: Bearer`), or null. */
			user: SessionUser | null;
			session: SessionRecord | null;
		}
		// interface PageData {}
		// interface PageState {}
		// interface Platform {}
	}
}

export {};
