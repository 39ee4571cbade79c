import { markup } from './nonce.js';

/**
 * Head merging, as a page load would leave the head: stylesheets the new
 * page has and the document lacks are added and loaded before the body
 * changes (no flash of unstyled content); what the new page no longer has
 * (stylesheets, title, meta, canonical) goes once the body has changed.
 * Elements are matched by their markup; a head that changed at most its
 * title is compared node by node, without serializing it.
 */

// Only elements a page put in the head are removed: a library that adds a
// <style> at run time keeps it, as it would without the client.
const ours = new WeakSet(document.head.children);
const tracked = (doc) => doc.querySelectorAll('[data-formaction-track=reload]');
const others = (head) => [...head.children].filter((el) => el.localName !== 'title');
const alike = (a, b) => a.length === b.length && [...a].every((el, i) => el.isEqualNode(b[i]) || markup(el) === markup(b[i]));

/**
 * Adds the new page's stylesheets and waits for them. Returns the new
 * head's scripts and a function that finishes the merge, or nothing when a
 * tracked asset changed (a new deploy): then the page loads in full.
 * @param {Document} doc @param {URL} url
 */
export async function merge_head(doc, url) {
	// The entry may be url already (goto commits it first), where assign
	// would only follow a fragment.
	if (!alike(tracked(doc), tracked(document))) return void (location.href === url.href ? location.reload() : location.assign(url));
	const scripts = [...doc.head.querySelectorAll('script')];
	// A result on the same page changes the title at most.
	if (alike(others(doc.head), others(document.head))) return [scripts, () => set_title(doc)];
	const old = new Map();
	for (const el of document.head.children) if (!el.matches('script,title') && ours.has(el)) old.set(markup(el), el);
	const added = [];
	const sheets = [];
	for (const el of [...doc.head.children]) {
		if (el.matches('script,title') || old.delete(markup(el))) continue;
		ours.add(el);
		(el.matches('[rel=stylesheet],style') ? sheets : added).push(el);
	}
	// A stylesheet loads only in the document: it joins the head now, and
	// the body waits for it.
	document.head.append(...sheets);
	await Promise.all(sheets.map((el) => el.sheet || new Promise((done) => (el.onload = el.onerror = done))));
	return [scripts, () => {
		for (const el of old.values()) el.remove();
		document.head.append(...added);
		set_title(doc);
	}];
}

// The title changes in place (removing a <title> costs Chromium more than
// the rest of a render), and only when it differs.
function set_title(doc) {
	if (document.title !== doc.title) document.title = doc.title;
}
