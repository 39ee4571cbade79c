// No server rendering: the app is static files, and its forms post to a Go
// server that speaks SvelteKit's ActionResult format (formaction).
export const ssr = false;
