/**
 * Moves focus where a browser would after loading `url`: the first
 * [autofocus] element, else the element the URL's hash names, else <body>.
 * @param {URL} url
 */
export function reset_focus(url) {
	focus(document.querySelector('[autofocus]') || fragment_target(url) || document.body);
}

/**
 * The element a URL's fragment names, found as a browser finds it: by the
 * fragment as written, else percent-decoded (#100% is not valid
 * percent-encoding, and names the element whose id is "100%").
 * @param {URL} url
 */
export function fragment_target(url) {
	const raw = url.hash.slice(1);
	if (!raw) return null;
	let decoded = raw;
	try {
		decoded = decodeURIComponent(raw);
	} catch {}
	return document.getElementById(raw) || document.getElementById(decoded);
}

/**
 * After a failure: the error summary, else the first invalid control, moved
 * into view (below a sticky header that sets scroll-margin-top). When the
 * page has neither, focus stays where it is.
 */
export function focus_failure() {
	const target =
		document.querySelector('[data-error-summary]') || document.querySelector('[aria-invalid="true"]');
	if (target) {
		focus(target);
		target.scrollIntoView({ block: 'nearest' });
	}
}

/**
 * Focuses any element. One that is not focusable gets tabindex="-1" until it
 * loses focus, so it does not join the tab order.
 * @param {HTMLElement} el
 */
export function focus(el) {
	if (!el.hasAttribute('tabindex') && el.tabIndex < 0) {
		el.setAttribute('tabindex', '-1');
		el.addEventListener('blur', () => el.removeAttribute('tabindex'), { once: true });
	}
	el.focus({ preventScroll: true });
}
