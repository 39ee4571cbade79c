import { vouch } from './nonce.js';

/**
 * Scripts run as on a page load: each once per document, in document
 * order, an external one before the next starts. A script counts as run by
 * its src or, inline, by its text, so the client's own tag, a library
 * every page includes, or a page's script seen again after back and forward
 * never runs twice.
 */
const key = (s) => s.src || s.text;
const ran = new Set([...document.scripts].map(key));
let queue = Promise.resolve();

/**
 * Runs the scripts of `list` not run yet. A script parsed by DOMParser
 * never runs, so each is replaced by a fresh copy: in place when it is in
 * the document, else at the end of the head.
 * @param {HTMLScriptElement[]} list
 * @param {string[]} nonces those of the policy the page came with
 */
export function run_scripts(list, nonces) {
	for (const old of list) {
		// JSON data, templates and nomodule fallbacks are not for running,
		// and would never fire the load event the queue waits for.
		if (ran.has(key(old)) || old.noModule || !/^$|java|module/.test(old.type)) continue;
		ran.add(key(old));
		queue = queue.then(
			() =>
				new Promise((done) => {
					const s = document.createElement('script');
					for (const a of old.attributes) s.setAttribute(a.name, a.value);
					vouch(s, nonces, old);
					s.text = old.text;
					if (s.src) s.onload = s.onerror = done;
					document.contains(old) ? old.replaceWith(s) : document.head.append(s);
					if (!s.src) done();
				})
		);
	}
}
