/**
 * The part of the `pg` package (node-postgres 8) that server/store/pg-store.ts uses. The
 * package ships no types and @types/pg is not installed; delete this file once it is.
 */
declare module 'pg' {
	export interface QueryResult<R = Record<string, unknown>> {
		rows: R[];
		rowCount: number | null;
	}

	export interface Queryable {
		query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
	}

	export class TypeOverrides {
		setTypeParser(oid: number, parse: (value: string) => unknown): void;
	}

	export interface PoolConfig {
		connectionString?: string;
		max?: number;
		idleTimeoutMillis?: number;
		connectionTimeoutMillis?: number;
		application_name?: string;
		types?: TypeOverrides;
	}

	export interface PoolClient extends Queryable {
		release(err?: Error | boolean): void;
		on(event: 'error', listener: (err: Error) => void): this;
		removeListener(event: 'error', listener: (err: Error) => void): this;
	}

	export class Pool implements Queryable {
		constructor(config?: PoolConfig);
		query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
		connect(): Promise<PoolClient>;
		end(): Promise<void>;
		on(event: 'error', listener: (err: Error) => void): this;
	}

	export class Client implements Queryable {
		constructor(config?: PoolConfig);
		query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
		connect(): Promise<void>;
		end(): Promise<void>;
	}

	export class DatabaseError extends Error {
		code?: string;
		constraint?: string;
	}

	export function escapeIdentifier(value: string): string;

	const pg: {
		Pool: typeof Pool;
		Client: typeof Client;
		TypeOverrides: typeof TypeOverrides;
		DatabaseError: typeof DatabaseError;
		escapeIdentifier: typeof escapeIdentifier;
	};
	export default pg;
}
