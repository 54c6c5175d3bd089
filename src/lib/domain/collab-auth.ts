/**
 * The token a browser tab sends on /collab. Hocuspocus's provider needs some token value to
 * send its auth message; the tab sends this placeholder, not a secret, and the server reads the
 * session from the HttpOnly cookie of the WebSocket's upgrade request instead
 * (server/collab/connection-token.ts). So no session secret is ever readable by page scripts.
 * Non-browser clients keep sending their session token itself.
 */
export const COOKIE_AUTH_TOKEN = 'cookie';
