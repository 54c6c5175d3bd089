// The whole app renders in the browser: its shell is the same HTML for every route, so the
// service worker can serve it with no network, and IndexedDB is never touched on the server.
export const ssr = false;
