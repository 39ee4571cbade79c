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
 * full load of `url` took over.
 * @param {string} html
 * @param {URL} url
 */
export async function render(html, url) {
	const doc = new DOMParser().parseFromString(html, 'text/html');
	// DOMParser parses as if scripts were off, which makes what <noscript>
	// holds elements: live, they would load its images, apply its styles
	// and follow its refresh. With scripts on, it holds text.
	for (const n of doc.querySelectorAll('noscript')) n.textContent = n.innerHTML;
	// Styles and links the server vouched for with a nonce get this
	// document's (scripts get it when they are run).
	for (const el of doc.querySelectorAll('[nonce]:not(script)')) vouch(el);
	const merged = await merge_head(doc, url);
	if (!merged) return false;
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
	run_scripts(scripts);
	return true;
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
