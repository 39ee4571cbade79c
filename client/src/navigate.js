import { page } from './page.js';
import { render } from './render.js';
import { reset_focus, fragment_target } from './focus.js';
import { announce } from './announce.js';
import { capture, restore } from './snapshot.js';
import { nonces_of } from './nonce.js';
import { may_leave } from './unsaved.js';

/**
 * Navigates without reloading: fetches `url` as HTML, renders it and adds
 * a history entry. Another origin, or an answer that is not HTML, gets a
 * full navigation instead.
 * @param {string | URL} url
 * @param {{ replaceState?: boolean, noScroll?: boolean, keepFocus?: boolean, invalidateAll?: boolean }} [opts]
 */
export async function goto(url, opts = {}) {
	if (!navigable(url)) throw new Error(`formaction: goto(${url}): only http: and https: URLs can be visited`);
	url = new URL(url, location.href);
	if (url.origin !== location.origin) return location.assign(url);
	if (!may_leave()) return;
	leave();
	// The new entry comes before the page's render, as a page load commits
	// its URL first: relative URLs in the new page (its stylesheets and
	// scripts) resolve against its own address.
	const landed = await load(url, ++started, (to) => enter(to, opts.replaceState));
	if (!landed) return;
	page.form = null;
	if (!opts.noScroll) {
		const target = fragment_target(landed);
		target ? target.scrollIntoView() : scrollTo(0, 0);
	}
	if (!opts.keepFocus) reset_focus(landed);
	announce();
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
	if (await load(url, started)) page.url = url;
}

// Counts the navigations started: the last one wins, as in a browser,
// whichever answer comes back last.
let started = 0;

/** How many navigations to a page (goto, back and forward) have started. */
export const navigations = () => started;

/**
 * Fetches a page and renders it; returns the URL it came from (after any
 * redirect), or nothing when it handed over to a full navigation or a
 * navigation started after this one (a newer `navigation`) took over.
 * `commit` runs with the URL just before the page renders.
 * @param {URL} url @param {number} navigation @param {(landed: URL) => void} [commit]
 */
async function load(url, navigation, commit) {
	let response, html;
	try {
		response = await fetch(url, { headers: { accept: 'text/html' }, credentials: 'same-origin' });
		html = await response.text();
	} catch {
		if (navigation === started) location.assign(url);
		return;
	}
	if (navigation !== started) return;
	const landed = new URL(response.url || url);
	landed.hash = url.hash;
	if (landed.origin !== location.origin || !/^text\/html/.test(response.headers.get('content-type') || '')) {
		location.assign(landed);
		return;
	}
	commit?.(landed);
	if (!(await render(html, landed, { nonces: nonces_of(response), current: () => navigation === started }))) return;
	page.url = landed;
	page.status = response.status;
	return landed;
}

// The id of the history entry shown, under which its snapshot is kept.
let current = history.state?.id || Math.random();

/** Before the page changes: keep the entry's scroll and typed values. */
export function leave() {
	capture(current);
	history.replaceState({ ...history.state, formaction: 1, id: current, scroll: [scrollX, scrollY] }, '');
}

/**
 * After the page changed: a new history entry (or the current one,
 * replaced) for `url`.
 * @param {URL} url @param {boolean} [replace]
 */
export function enter(url, replace) {
	history[replace ? 'replaceState' : 'pushState']({ formaction: 1, id: (current = Math.random()) }, '', url);
	page.url = url;
}

/** Back and forward re-render the entry's page, its scroll and typed values. */
export function handle_history() {
	leave();
	addEventListener('popstate', async ({ state }) => {
		if (!state?.formaction) return;
		capture(current);
		current = state.id;
		if (await load(new URL(location.href), ++started)) {
			restore(current);
			scrollTo(...(state.scroll || [0, 0]));
			announce();
		}
	});
	addEventListener('beforeunload', leave);
}
