/**
 * Makes `from`, an element of the document, what `to`, its counterpart in
 * a parsed page, is: the same attributes and children. Elements that have
 * a counterpart stay where they are (none is ever moved), so focus, caret,
 * scroll position and what the user typed survive. A node matches one of
 * the same name and id; one without a match is inserted or removed,
 * whichever the nearer match says, so that an error summary inserted
 * before a form keeps the form, where matching in order would turn each
 * element into the next. Nodes taken from `to` are inserted as they are,
 * and `added` is called with each. Nodes for which `keep` says true (the
 * client's own) are neither matched nor removed.
 * @param {any} from
 * @param {any} to
 * @param {(node: Node) => void} added
 * @param {(node: Node) => boolean} keep
 */
export function morph(from, to, added, keep) {
	// isEqualNode does not look into a template's content: its markup does.
	if (from.localName === 'template' && from.innerHTML !== to.innerHTML) from.content.replaceChildren(document.importNode(to.content, true));
	if (from.isEqualNode(to)) return;
	if (from.nodeType !== 1) {
		from.nodeValue = to.nodeValue;
		return;
	}
	// A control the user edited keeps what they chose; one that still shows
	// what its HTML gave takes what the new HTML gives. A chosen file stays.
	// (Told apart by name: asking a form for a property it lacks searches its
	// controls for one of that name.)
	const name = from.localName;
	const control = (name === 'input' && from.type !== 'file') || name === 'textarea' || name === 'output';
	const check = name === 'input' && (from.type === 'checkbox' || from.type === 'radio');
	const options = name === 'select' && [...from.options];
	let edited = control && (check ? from.checked !== from.defaultChecked : from.value !== from.defaultValue);
	let chosen;
	if (options) {
		// What a select shows by default is not in its markup alone (with no
		// selected option, the first is), so its markup is parsed afresh.
		const fresh = document.createElement('template');
		fresh.innerHTML = from.outerHTML;
		edited = options.some((o, k) => o.selected !== fresh.content.firstChild.options[k]?.selected);
		chosen = (edited ? options : [...to.options]).map((o) => o.selected);
	}
	for (const a of to.attributes) if (from.getAttributeNS(a.namespaceURI, a.localName) !== a.value) from.setAttributeNS(a.namespaceURI, a.name, a.value);
	// Now from has every attribute of to; any more are to go.
	if (from.attributes.length > to.attributes.length)
		for (const a of [...from.attributes]) if (!to.hasAttributeNS(a.namespaceURI, a.localName)) from.removeAttributeNode(a);
	children(from, to, added, keep);
	if (options) for (const [k, o] of [...from.options].entries()) o.selected = chosen[k];
	else if (control && !edited) {
		if (check) from.checked = from.defaultChecked;
		else if (from.value !== from.defaultValue) from.value = from.defaultValue;
	}
}

function children(from, to, added, keep) {
	// Nodes to keep are out of the matching, lest they become another.
	const olds = [...from.childNodes].filter((node) => !keep(node));
	const news = [...to.childNodes];
	let i = 0;
	for (let j = 0; j < news.length; j++) {
		const node = news[j];
		// The old nodes before this one's nearest match are removed, unless
		// the old node is nearer as the match of a later new node.
		if (olds[i] && !same(olds[i], node)) {
			let skip = ahead(node, olds, i);
			if (skip < ahead(olds[i], news, j)) while (skip--) olds[i++].remove();
		}
		if (olds[i] && same(olds[i], node)) morph(olds[i++], node, added, keep);
		else {
			from.insertBefore(node, olds[i] || null);
			added(node);
		}
	}
	while (i < olds.length) olds[i++].remove();
}

/**
 * How many places after list[at] the nearest match of node is: within
 * eight places, or anywhere for a node with an id (ids are rare and
 * unique, so a long run of inserted or removed nodes still finds it);
 * Infinity when there is none.
 */
function ahead(node, list, at) {
	for (let k = 1; list[at + k] && (k < 9 || node.id); k++) if (same(node, list[at + k])) return k;
	return Infinity;
}

// A script that has run never runs again, whatever its text or src
// becomes: one matches only a script equal to it, and another is inserted,
// to run as the new page's.
const same = (a, b) => a.nodeName === b.nodeName && a.id === b.id && (a.localName !== 'script' || a.isEqualNode(b));

/**
 * V8 runs a function's first calls without type feedback, which makes the
 * first morph a visitor waits for (their first failed submission) several
 * times slower than the next. Morphing a small page of inert nodes once,
 * when the browser is idle after the load, lets that first morph run
 * warmed code.
 */
export function warm_up() {
	const page = (extra) =>
		new DOMParser().parseFromString(
			`<main><form id=f>${extra}<label>A <input name=a value=1></label><input type=checkbox checked>` +
				'<select><option>1<option selected>2</select><textarea>t</textarea><p id=e></p><button>Go</button></form></main>',
			'text/html'
		).body;
	const from = page('');
	for (const extra of ['<div role=alert><p>Wrong</p></div>', '<p>x</p>', '']) morph(from, page(extra), () => {}, () => false);
}
