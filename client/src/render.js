import { morph } from './morph.js';
import { merge_head } from './head.js';
import { run_scripts } from './scripts.js';
import { region } from './announce.js';
import { vouch } from './nonce.js';

/**
 * Renders the page `html`, which the document shows at `url`, as a page
 * load would, without one: the head is merged (new stylesheets are loaded
 * first), the body is morphed in place, so elements that survive keep
 * focus, scroll position and what the user typed, and the new page's
 * scripts run. A control the user has edited (its value differs from the
 * one the HTML gave it) keeps its value; a control the page had reset
 * takes the server's. Resolves to false when a tracked asset changed and a
 * full load of `url` took over, or when `current` says the render is no
 * longer wanted (a newer navigation started) before the body changes.
 * `nonces` are those of the policy the page came with (see nonce.js).
 * @param {string} html
 * @param {URL} url
 * @param {{ nonces?: string[], current?: () => boolean }} [opts]
 */
export async function render(html, url, { nonces = [], current = () => true } = {}) {
	const doc = new DOMParser().parseFromString(inert_noscripts(html), 'text/html');
	for (const n of doc.querySelectorAll('noscript[data-formaction-noscript]')) {
		n.textContent = n.getAttribute('data-formaction-noscript');
		n.removeAttribute('data-formaction-noscript');
	}
	// Styles and links get this document's nonce when they carry the
	// page's (scripts get it when they are run).
	for (const el of doc.querySelectorAll('[nonce]:not(script)')) vouch(el, nonces);
	const merged = await merge_head(doc, url);
	if (!merged || !current()) return false;
	const [scripts, finish] = merged;
	const swap = () => {
		swap_body(doc.body, scripts);
		finish();
	};
	// View transitions are the page's choice, and never for people who ask
	// for less motion.
	if (
		document.startViewTransition &&
		document.querySelector('meta[name=view-transition][content=same-origin]') &&
		!matchMedia('(prefers-reduced-motion: reduce)').matches
	) {
		await document.startViewTransition(swap).updateCallbackDone;
	} else swap();
	run_scripts(scripts, nonces);
	return true;
}

// DOMParser parses as if scripts were off, which makes what <noscript>
// holds elements (in the head, most of them leave it for the body): live,
// they would load its images, apply its styles and follow its refresh.
// With scripts on, it holds text. So each <noscript> is parsed empty, its
// text carried in an attribute; raw text elements and comments, where
// "<noscript" is no tag, are left alone.
const noscripts = /<(script|style|textarea|title|xmp|iframe|noembed|noframes)\b[\s\S]*?<\/\1\s*>|<!--[\s\S]*?-->|<noscript\b([^>]*)>([\s\S]*?)(?:<\/noscript\s*>|$)/gi;
const attribute = (text) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** @param {string} html */
function inert_noscripts(html) {
	return html.replace(noscripts, (all, raw, attrs, text) =>
		attrs === undefined ? all : `<noscript${attrs} data-formaction-noscript="${attribute(text)}"></noscript>`
	);
}

/**
 * @param {HTMLElement} body
 * @param {HTMLScriptElement[]} scripts collects the scripts inserted
 */
function swap_body(body, scripts) {
	// The page does not scroll (a navigation scrolls afterwards), not even
	// by the browser's scroll anchoring when content above the view grows.
	const [x, y] = [scrollX, scrollY];
	morph(
		document.body,
		body,
		(node) => node.nodeType === 1 && scripts.push(...(node.localName === 'script' ? [node] : node.querySelectorAll('script'))),
		(node) => node === region
	);
	scrollTo(x, y);
}
