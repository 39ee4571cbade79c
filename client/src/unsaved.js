/**
 * A form with data-warn-unsaved that the user edited and has not submitted
 * asks before the page is left: the browser's own prompt when the tab
 * closes or a link loads a page, a confirm() before a client navigation.
 */
const edited = new Set();
const dirty = () => [...edited].some((form) => form.isConnected);

addEventListener('input', (e) => e.target.form?.hasAttribute('data-warn-unsaved') && edited.add(e.target.form));
addEventListener('submit', (e) => edited.delete(e.target));
addEventListener('beforeunload', (e) => dirty() && e.preventDefault());

/** Whether the user lets a client navigation leave the page. */
export function may_leave() {
	if (dirty() && !confirm('Leave this page? Your changes are not saved.')) return false;
	edited.clear();
	return true;
}
