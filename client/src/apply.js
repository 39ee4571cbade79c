import { page } from './page.js';
import { render } from './render.js';
import { result_nonces } from './nonce.js';
import { goto, navigable } from './navigate.js';
import { focus, focus_failure, reset_focus } from './focus.js';

/**
 * Applies an action result to the current page, whichever page the action
 * was on. Success and failure update `page.form` and `page.status`; a
 * redirect navigates; an error shows the error page. When the result
 * carries `html`, the page the server rendered with it is morphed in.
 * @param {any} result
 */
export async function applyAction(result) {
	if (result.type === 'redirect') {
		if (navigable(result.location)) return goto(result.location, { invalidateAll: true });
		// A browser refuses such a Location natively; so does the client.
		console.error(`formaction: refused redirect to ${result.location}`);
		result = { type: 'error', status: 500, error: { status: 500, message: 'The page tried to redirect to an address that is not a web page' } };
	}
	page.status = result.status;
	if (result.type === 'error') {
		page.error = result.error;
		if (!result.html) show_error(result.error?.message);
	} else {
		page.form = result.data ?? null;
		page.error = null;
	}
	if (result.html && !(await render(result.html, page.url, { nonces: result_nonces.get(result) }))) return;
	document.dispatchEvent(new CustomEvent('formaction:page', { detail: page }));
	if (result.type === 'failure') focus_failure();
	else if (result.type === 'success' || result.html) reset_focus(page.url);
}

/**
 * An error with no page to show (the network failed, a proxy answered):
 * the page stays, with everything typed in it, and an alert says what went
 * wrong.
 * @param {string} [message]
 */
function show_error(message = 'Something went wrong') {
	let alert = document.querySelector('[data-formaction-error]');
	if (!alert) {
		alert = document.createElement('p');
		alert.setAttribute('role', 'alert');
		alert.setAttribute('data-formaction-error', '');
		(document.querySelector('main') || document.body).prepend(alert);
	}
	alert.textContent = message;
	focus(alert);
}
