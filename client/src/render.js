import morphdom from 'morphdom';

/**
 * Morphs the document into the page `html`: the title and the body change
 * in place, so elements that survive keep focus, scroll position and what
 * the user typed. A control the user has edited (its value differs from the
 * one the HTML gave it) keeps its value; a control the page had reset takes
 * the server's.
 * @param {string} html
 */
export function render(html) {
	const doc = new DOMParser().parseFromString(html, 'text/html');
	document.title = doc.title;
	// morphdom keeps elements but may move them, and moving an element
	// blurs it: note the focus and the caret to put them back.
	const active = document.activeElement;
	const caret = active && 'selectionStart' in active ? [active.selectionStart, active.selectionEnd] : null;
	const selects = [];
	morphdom(document.body, doc.body, {
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
		}
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
