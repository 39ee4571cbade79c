/**
 * Moves focus where a browser would after loading `url`: the first
 * [autofocus] element, else the element the URL's hash names, else <body>.
 * @param {URL} url
 */
export function reset_focus(url) {
	const target =
		document.querySelector('[autofocus]') ||
		(url.hash && document.getElementById(decodeURIComponent(url.hash.slice(1)))) ||
		document.body;
	focus(target);
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
