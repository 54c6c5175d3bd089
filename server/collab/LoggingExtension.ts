/**
 * Logging: one line per connection opened or closed, and counts of loaded documents, so that
 * a document stuck in memory or a wave of disconnects shows in the console.
 */
import type {
	afterLoadDocumentPayload,
	afterUnloadDocumentPayload,
	connectedPayload,
	Extension,
	onDisconnectPayload
} from '@hocuspocus/server';
import { log } from '../log.ts';
import type { CollabContext } from './context.ts';

export class LoggingExtension implements Extension {
	extensionName = 'LoggingExtension';
	connections = 0;
	documents = 0;

	async connected({ documentName, context, socketId, connectionConfig }: connectedPayload<CollabContext>): Promise<void> {
		this.connections++;
		log('info', 'collab.open', {
			doc: documentName,
			user: context.user?.username,
			readOnly: connectionConfig.readOnly,
			socket: socketId,
			connections: this.connections
		});
	}

	async onDisconnect({ documentName, context, socketId }: onDisconnectPayload<CollabContext>): Promise<void> {
		this.connections = Math.max(0, this.connections - 1);
		log('info', 'collab.close', {
			doc: documentName,
			user: context.user?.username,
			socket: socketId,
			connections: this.connections
		});
	}

	async afterLoadDocument({ documentName }: afterLoadDocumentPayload): Promise<void> {
		this.documents++;
		log('info', 'collab.docLoaded', { doc: documentName, loaded: this.documents });
	}

	async afterUnloadDocument({ documentName }: afterUnloadDocumentPayload): Promise<void> {
		this.documents = Math.max(0, this.documents - 1);
		log('info', 'collab.docUnloaded', { doc: documentName, loaded: this.documents });
	}
}
