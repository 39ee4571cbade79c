import { deserialize } from './deserialize.js';
import { applyAction } from './apply.js';
import { goto, invalidateAll, navigable } from './navigate.js';

// Forms are read through the prototype: an input named "action", "method"
// or "reset" shadows the form's own property of that name.
const proto = HTMLFormElement.prototype;

/** @type {WeakMap<HTMLFormElement, AbortController>} */
const in_flight = new WeakMap();

/**
 * Submits a POST form with fetch instead of a page load. `submit` runs
 * before the request with `{ action, formData, formElement, controller,
 * submitter, cancel }` and may return a callback that replaces the default
 * handling of the result; that callback's `update()` runs the default.
 * @param {HTMLFormElement} form
 * @param {Function} [submit]
 */
export function enhance(form, submit) {
	/** @param {SubmitEvent} event */
	const listener = (event) => handle_submit(event, form, submit);
	proto.addEventListener.call(form, 'submit', listener);
	return { destroy: () => proto.removeEventListener.call(form, 'submit', listener) };
}

/**
 * The listener `data-enhance` installs on the document, so forms that a
 * render adds are enhanced too. A form enhanced by hand handles its own
 * submissions, which reach here already prevented.
 * @param {SubmitEvent} event
 */
export function handle_document_submit(event) {
	const form = event.target;
	if (event.defaultPrevented || !(form instanceof HTMLFormElement) || !form.hasAttribute('data-enhance')) return;
	if (method_of(event.submitter, form) === 'get') return handle_get(event, form);
	handle_submit(event, form);
}

/** @param {HTMLElement | null} submitter @param {HTMLFormElement} form */
function method_of(submitter, form) {
	return submitter?.hasAttribute('formmethod') ? submitter.formMethod : clone(form).method;
}

/** A shallow copy has no inputs that could shadow action, method or enctype. */
const clone = (form) => /** @type {HTMLFormElement} */ (proto.cloneNode.call(form, false));

/**
 * The body a native post would send: a file in a form that is not
 * multipart travels as its name, and the console says why.
 * @param {FormData} data
 */
function url_encode(data) {
	const params = new URLSearchParams();
	for (const [name, value] of data) {
		if (value instanceof File) {
			console.error(
				`formaction: the file input "${name}" is in a form without enctype="multipart/form-data", ` +
					'so only the file name is sent, as a native post would'
			);
		}
		params.append(name, value instanceof File ? value.name : value);
	}
	return params;
}

/**
 * A GET form navigates like a link, through goto unless it asks for a
 * full page load.
 * @param {SubmitEvent} event @param {HTMLFormElement} form
 */
function handle_get(event, form) {
	const submitter = event.submitter;
	const target = submitter?.getAttribute('formtarget') || clone(form).target;
	if (form.hasAttribute('data-sveltekit-reload') || (target && target !== '_self')) return;
	const url = new URL(submitter?.hasAttribute('formaction') ? submitter.formAction : clone(form).action);
	if (!navigable(url)) return; // the browser's own business, as without the client
	event.preventDefault();
	url.search = url_encode(new FormData(form, submitter)).toString();
	goto(url, {
		replaceState: form.hasAttribute('data-sveltekit-replacestate'),
		keepFocus: form.hasAttribute('data-sveltekit-keepfocus'),
		noScroll: form.hasAttribute('data-sveltekit-noscroll')
	});
}

/**
 * @param {SubmitEvent} event
 * @param {HTMLFormElement} form
 * @param {Function} [submit]
 */
async function handle_submit(event, form, submit) {
	const submitter = /** @type {HTMLButtonElement | HTMLInputElement | null} */ (event.submitter);
	// dialog and get submissions stay the browser's.
	if (method_of(submitter, form) !== 'post') return;
	event.preventDefault();

	const action = new URL(submitter?.hasAttribute('formaction') ? submitter.formAction : clone(form).action);
	const enctype = submitter?.hasAttribute('formenctype') ? submitter.formEnctype : clone(form).enctype;
	const formData = new FormData(form, submitter);

	const detail = { formData, action, submitter };
	if (!form.dispatchEvent(new CustomEvent('formaction:submit', { bubbles: true, cancelable: true, detail }))) return;

	// A newer submission of the same form wins: the older one is aborted
	// and its result never applied.
	in_flight.get(form)?.abort();
	const controller = new AbortController();
	in_flight.set(form, controller);
	let cancelled = false;
	const callback = await run(submit, {
		action,
		formData,
		formElement: form,
		controller,
		submitter,
		cancel: () => (cancelled = true)
	});
	if (cancelled || controller.signal.aborted) {
		if (in_flight.get(form) === controller) in_flight.delete(form);
		return;
	}
	set_pending(form, submitter, true);

	const same_page = action.origin === location.origin && action.pathname === location.pathname;
	let result;
	try {
		const multipart = enctype === 'multipart/form-data';
		const response = await fetch(action, {
			method: 'POST',
			headers: {
				accept: 'application/json',
				'x-sveltekit-action': 'true',
				...(same_page && { 'x-formaction-render': 'true' }),
				...(!multipart && { 'content-type': 'application/x-www-form-urlencoded' })
			},
			body: multipart ? formData : url_encode(formData),
			cache: 'no-store',
			signal: controller.signal
		});
		const json = /^application\/json/.test(response.headers.get('content-type') || '');
		if (response.redirected && !json) {
			// Something between us and the action (a proxy, middleware)
			// redirected the request: land where the browser would.
			result = { type: 'redirect', status: 303, location: response.url };
		} else if (!json && !response.ok) {
			// Not the action's answer: a proxy's or the server's error page.
			result = { type: 'error', status: response.status, error: { message: `${response.status} ${response.statusText}` } };
		} else {
			result = deserialize(await response.text());
			if (result.type === 'error' || result.type === 'failure') result.status = response.status;
		}
	} catch (error) {
		if (controller.signal.aborted) return;
		result = { type: 'error', status: 500, error: { message: `The request failed: ${error.message}` } };
	} finally {
		if (in_flight.get(form) === controller) {
			in_flight.delete(form);
			set_pending(form, submitter, false);
		}
	}
	if (controller.signal.aborted) return;

	form.dispatchEvent(new CustomEvent('formaction:result', { bubbles: true, detail: { result } }));
	/** @param {{ reset?: boolean, invalidateAll?: boolean }} [opts] */
	const update = (opts) => fallback(form, action, result, opts);
	await (callback ? run(callback, { action, formData, formElement: form, result, update }) : run(update));
}

/**
 * What a submission does with its result unless told otherwise: reset the
 * form after a success, refresh the page's data, and apply the result when
 * the action is on this page (or it is a redirect or an error).
 */
async function fallback(form, action, result, { reset = true, invalidateAll: refresh = true } = {}) {
	const same_page = action.origin === location.origin && action.pathname === location.pathname;
	if (result.type === 'success') {
		if (reset) proto.reset.call(form);
		// A same-page result carries the page the server rendered after the
		// action: fresh data, no second request.
		if (refresh && !(same_page && result.html)) await invalidateAll();
	}
	if (same_page || result.type === 'redirect' || result.type === 'error') {
		if (!refresh && result.type !== 'error') result = { ...result, html: undefined };
		await applyAction(result);
	}
}

function set_pending(form, submitter, on) {
	for (const el of [form, submitter]) el?.toggleAttribute('data-pending', on);
	on ? form.setAttribute('aria-busy', 'true') : form.removeAttribute('aria-busy');
}

/** Calls user code, so that what it throws is reported, never thrown into the page. */
async function run(fn, arg) {
	try {
		return await fn?.(arg);
	} catch (error) {
		console.error(error);
	}
}
