/**
 * Content-Security-Policy nonces. The policy in force is the first page
 * load's, so an element of a later page that carries a nonce of the
 * policy that page came with gets this document's nonce instead, which the
 * client's own tag carries; an element with any other nonce gets none, and
 * the policy blocks it, as a page load would. Chromium hides a nonce
 * attribute's value once the element is in the document, so elements are
 * compared without it.
 */
const nonce = document.currentScript?.nonce || '';

/**
 * The nonces of the policy a response came with.
 * @param {{ headers: Headers }} response
 */
export function nonces_of(response) {
	return [...(response.headers.get('content-security-policy') || '').matchAll(/'nonce-([^']+)'/g)].map((m) => m[1]);
}

/**
 * Gives an element that carried one of `nonces` (it, or `from`, which it
 * copies) the document's nonce, and one that carried another none.
 * @param {HTMLElement} el @param {string[]} nonces @param {HTMLElement} [from]
 */
export function vouch(el, nonces, from = el) {
	if (el.hasAttribute('nonce')) {
		// Once in the document, the attribute reads "" and the property holds it.
		const vouched = nonces.includes(from.nonce || from.getAttribute('nonce'));
		el.removeAttribute('nonce');
		if (vouched) el.nonce = nonce;
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

/** The nonces of the responses that results came in. @type {WeakMap<object, string[]>} */
export const result_nonces = new WeakMap();
