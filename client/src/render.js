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
}
