/**
 * Snapshots: what the user typed into enhanced forms survives back and
 * forward, as the browser restores a form after a page load. Each history
 * entry has an id; leaving an entry saves the values of its enhanced forms'
 * controls (never passwords, files or hidden inputs) under it, and coming
 * back puts them back when the page has the same controls.
 * @type {Record<string, any[]>}
 */
const saved = {};
const fields = () =>
	document.querySelectorAll('form[data-enhance] :is(input,select,textarea):not([type=password],[type=file],[type=hidden])');

/** @param {string} id */
export function capture(id) {
	saved[id] = [...fields()].map((el) => [el.value, el.checked]);
}

/** @param {string} id */
export function restore(id) {
	const els = fields();
	const snap = saved[id];
	if (snap?.length === els.length) els.forEach((el, i) => ([el.value, el.checked] = snap[i]));
}
