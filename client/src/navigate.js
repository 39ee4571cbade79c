import { page } from './page.js';
import { render } from './render.js';
import { reset_focus } from './focus.js';

/**
 * Navigates without reloading: fetches `url` as HTML, morphs it in and adds
 * a history entry. Another origin, or an answer that is not HTML, gets a
 * full navigation instead.
 * @param {string | URL} url
 * @param {{ replaceState?: boolean, noScroll?: boolean, keepFocus?: boolean, invalidateAll?: boolean }} [opts]
 */
export async function goto(url, opts = {}) {
	if (!navigable(url)) throw new Error(`formaction: goto(${url}): only http: and https: URLs can be visited`);
	url = new URL(url, location.href);
	if (url.origin !== location.origin) return location.assign(url);
	save_scroll();
	const landed = await load(url);
	if (!landed) return;
	history[opts.replaceState ? 'replaceState' : 'pushState']({ formaction: 1 }, '', landed);
	page.form = null;
	if (!opts.noScroll) {
		const target = landed.hash && document.getElementById(decodeURIComponent(landed.hash.slice(1)));
		target ? target.scrollIntoView() : scrollTo(0, 0);
	}
	if (!opts.keepFocus) reset_focus(landed);
}

/**
 * Whether `url` is a web page the client may go to: http: or https:. A
 * javascript: URL would run its script in this page, which a browser never
 * does for a redirect.
 * @param {string | URL} url
 */
export function navigable(url) {
	try {
		return /^https?:$/.test(new URL(url, location.href).protocol);
	} catch {
		return false;
	}
}

/** Re-renders the current page with fresh data, where it stands. */
export async function invalidateAll() {
	const url = new URL(location.href);
	if (await load(url)) page.url = url;
}

/**
 * Fetches a page and renders it; returns the URL it came from (after any
 * redirect), or nothing when it handed over to a full navigation.
 * @param {URL} url
 */
async function load(url) {
	let response;
	try {
		response = await fetch(url, { headers: { accept: 'text/html' }, credentials: 'same-origin' });
	} catch {
		location.assign(url);
		return;
	}
	const landed = new URL(response.url || url);
	landed.hash = url.hash;
	if (landed.origin !== location.origin || !/^text\/html/.test(response.headers.get('content-type') || '')) {
		location.assign(landed);
		return;
	}
	render(await response.text());
	page.url = landed;
	page.status = response.status;
	return landed;
}

function save_scroll() {
	history.replaceState({ ...history.state, formaction: 1, scroll: [scrollX, scrollY] }, '');
}

/** Back and forward re-render the entry's page and restore its scroll. */
export function handle_history() {
	history.replaceState({ ...history.state, formaction: 1 }, '');
	addEventListener('popstate', async (event) => {
		if (!event.state?.formaction) return;
		const url = new URL(location.href);
		if (await load(url)) {
			const [x, y] = event.state.scroll || [0, 0];
			scrollTo(x, y);
		}
	});
	addEventListener('beforeunload', save_scroll);
}
