/**
 * Content-Security-Policy nonces. The policy in force is the first page
 * load's, so an element of a later page that the server vouched for with
 * its own response's nonce gets this document's nonce instead, which the
 * client's own tag carries. Chromium hides a nonce attribute's value once
 * the element is in the document, so elements are compared without it.
 */
const nonce = document.currentScript?.nonce || '';

/** Gives a parsed element that carried a nonce the document's. @param {Element} el */
export function vouch(el) {
	if (el.hasAttribute('nonce')) {
		el.removeAttribute('nonce');
		el.nonce = nonce;
	}
	return el;
}

/** The element as markup, without its nonce. @param {Element} el */
export function markup(el) {
	if (!el.hasAttribute('nonce')) return el.outerHTML;
	const copy = /** @type {Element} */ (el.cloneNode(true));
	copy.removeAttribute('nonce');
	return copy.outerHTML;
}
