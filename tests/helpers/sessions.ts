/**
 * Deliberation sessions in tests: create one through the HTTP API as a given user.
 */
import type { TestServer } from './server.ts';

export interface CreatedSession {
	id: string;
	communityId: string;
	title: string;
	status: string;
	frozenHash: string | null;
}

export async function createSessionApi(
	server: TestServer,
	token: string,
	body: Record<string, unknown> = {},
	communityId = 'c1'
): Promise<CreatedSession> {
	const res = await fetch(`${server.url}/api/communities/${communityId}/sessions`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
		body: JSON.stringify({
			title: '加装电梯议事会',
			startsAt: '2026-11-23T09:00:00.000Z',
			topic: '3 号楼加装电梯费用分摊',
			place: { lng: 120.241, lat: 29.712, label: '3 号楼前' },
			...body
		})
	});
	if (res.status !== 201) throw new Error(`create session failed: ${res.status} ${await res.text()}`);
	return (await res.json()) as CreatedSession;
}

export async function listSessionsApi(server: TestServer, token: string, communityId = 'c1'): Promise<Response> {
	return fetch(`${server.url}/api/communities/${communityId}/sessions`, { headers: { authorization: `Bearer ${token}` } });
}
