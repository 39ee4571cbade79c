import morphdom from 'morphdom';
import { merge_head } from './head.js';
import { run_scripts } from './scripts.js';
import { region } from './announce.js';

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
	const merged = await merge_head(doc, url);
	if (!merged) return false;
	const [scripts, finish] = merged;
	const swap = () => {
		morph(doc.body, scripts);
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
 * @param {HTMLScriptElement[]} scripts collects the scripts morphdom inserts
 */
function morph(body, scripts) {
	// morphdom keeps elements but may move them, and moving an element
	// blurs it: note the focus and the caret to put them back.
	const active = document.activeElement;
	const caret = active && 'selectionStart' in active ? [active.selectionStart, active.selectionEnd] : null;
	const selects = [];
	morphdom(document.body, body, {
		onBeforeElUpdated(from, to) {
			if (from.isEqualNode(to)) return false;
			if (from.type === 'checkbox' || from.type === 'radio') {
				if (from.checked !== from.defaultChecked) to.checked = from.checked;
			} else if (from.localName === 'select') {
				if ([...from.options].some((o) => o.selected !== o.defaultSelected)) {
					selects.push([from, [...from.options].map((o) => o.selected)]);
				}
			} else if ('defaultValue' in from && from.type !== 'file' && from.value !== from.defaultValue) {
				to.value = from.value;
			}
			return true;
		},
		// Inserted scripts run; those that survive a morph do not run again.
		// (morphdom calls this for every node of an inserted subtree).
		onNodeAdded: (node) => node.localName === 'script' && scripts.push(node),
		onBeforeNodeDiscarded: (node) => node !== region
	});
	for (const [select, selected] of selects) {
		selected.forEach((s, i) => select.options[i] && (select.options[i].selected = s));
	}
	if (active && active !== document.body && active.isConnected && document.activeElement !== active) {
		active.focus({ preventScroll: true });
		try {
			if (caret) active.setSelectionRange(...caret);
		} catch {
			// inputs such as type=email have no caret to set
		}
	}
}
