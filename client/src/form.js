import { deserialize } from './deserialize.js';
import { applyAction } from './apply.js';
import { goto, invalidateAll, navigable, navigations, leave, enter } from './navigate.js';
import { announce } from './announce.js';
import { nonces_of, result_nonces } from './nonce.js';

// Forms are read through the prototype: an input named "action", "method"
// or "reset" shadows the form's own property of that name.
const proto = HTMLFormElement.prototype;

/** @type {WeakMap<HTMLFormElement, AbortController>} */
const in_flight = new WeakMap();
/** How many submissions of each form were made. @type {WeakMap<HTMLFormElement, number>} */
const submitted = new WeakMap();
/** The number of the newest submission of each form that was not cancelled. @type {WeakMap<HTMLFormElement, number>} */
const went = new WeakMap();

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
			console.error(`formaction: file input "${name}" sends only the file name without enctype="multipart/form-data"`);
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
	const action = new URL(submitter?.hasAttribute('formaction') ? submitter.formAction : clone(form).action);
	const target = submitter?.getAttribute('formtarget') || clone(form).target;
	// So do posts to another window, and to another origin or scheme: the
	// browser shows their answer on its own page, and the client must
	// never run another origin's markup in this one.
	if ((target && target !== '_self') || !navigable(action) || action.origin !== location.origin) return;
	event.preventDefault();

	const enctype = submitter?.hasAttribute('formenctype') ? submitter.formEnctype : clone(form).enctype;
	const formData = new FormData(form, submitter);

	const detail = { formData, action, submitter };
	if (!form.dispatchEvent(new CustomEvent('formaction:submit', { bubbles: true, cancelable: true, detail }))) return;

	const controller = new AbortController();
	controller.submitter = submitter;
	// Submissions are numbered as they are made, so that the newest wins
	// whichever SubmitFunction finishes first.
	controller.seq = (submitted.get(form) || 0) + 1;
	submitted.set(form, controller.seq);
	let cancelled = false;
	const callback = await run(submit, {
		action,
		formData,
		formElement: form,
		controller,
		submitter,
		cancel: () => (cancelled = true)
	});
	if (cancelled || controller.signal.aborted || went.get(form) > controller.seq) return;
	went.set(form, controller.seq);
	// A newer submission of the same form wins: the older one is aborted
	// and its result never applied. A cancelled one changes nothing.
	in_flight.get(form)?.abort();
	in_flight.set(form, controller);
	// A result that comes back after the user went to another page is not
	// applied: natively, the new navigation cancels the form's.
	const started = navigations();
	set_pending(form, submitter, true);

	let result;
	try {
		const multipart = enctype === 'multipart/form-data';
		const init = {
			method: 'POST',
			headers: {
				accept: 'application/json',
				'x-sveltekit-action': 'true',
				// The page the result lands on, rendered: the result of an
				// action on another page shows there, in the same round trip.
				...((here(action) || !form.hasAttribute('data-formaction-stay')) && { 'x-formaction-render': 'true' }),
				...(!multipart && { 'content-type': 'application/x-www-form-urlencoded' })
			},
			body: multipart ? formData : url_encode(formData),
			cache: 'no-store',
			signal: controller.signal
		};
		// fetch cannot report upload progress; XMLHttpRequest can.
		const files = multipart && [...formData.values()].some((v) => v instanceof File && v.size);
		const response = await (files ? upload(form, action, init) : fetch(action, init));
		const json = /^application\/json/.test(response.headers.get('content-type') || '');
		const landed = new URL(response.url || action);
		if (landed.origin !== location.origin) {
			// Redirected to another origin (an open redirect, say): whatever
			// it answered, go there, as the browser would, and never morph
			// its markup into this page.
			result = { type: 'redirect', status: 303, location: landed.href };
		} else if (response.redirected && !json) {
			// Something between us and the action (a proxy, middleware)
			// redirected the request: land where the browser would.
			result = { type: 'redirect', status: 303, location: response.url };
		} else if (!json && !response.ok) {
			// Not the action's answer: a proxy's or the server's error page.
			result = { type: 'error', status: response.status, error: { message: `${response.status} ${response.statusText}` } };
		} else {
			result = deserialize(await response.text());
			if (result.type === 'error' || result.type === 'failure') result.status = response.status;
			result_nonces.set(result, nonces_of(response));
		}
	} catch (error) {
		result = { type: 'error', status: 500, error: { message: 'Could not reach the server. Check your connection and try again.' } };
	} finally {
		if (in_flight.get(form) === controller) in_flight.delete(form);
	}
	// An aborted submission's result is never applied.
	if (!controller.signal.aborted && navigations() === started) {
		form.dispatchEvent(new CustomEvent('formaction:result', { bubbles: true, detail: { result } }));
		/** @param {{ reset?: boolean, invalidateAll?: boolean }} [opts] */
		const update = (opts) => fallback(form, action, result, opts);
		await (callback ? run(callback, { action, formData, formElement: form, result, update }) : run(update));
	}
	// The form stays pending until its result is on the page: the page then
	// changes once (one style and layout, not one for the pending state and
	// one for the result). A newer submission of the form owns its state.
	const current = in_flight.get(form);
	if (!current) set_pending(form, submitter, false);
	else if (current.submitter !== submitter) submitter?.removeAttribute('data-pending');
}

/**
 * What a submission does with its result unless told otherwise: reset the
 * form after a success; then, when the result belongs to another page (its
 * `location`), go there and show it, as the browser does without
 * JavaScript (SvelteKit 3); else refresh the page's data after a success
 * and apply the result here. `navigate: false`, or data-formaction-stay on
 * the form, keeps a result of another page's action on this page.
 * @param {HTMLFormElement} form @param {URL} action @param {any} result
 * @param {{ reset?: boolean, invalidateAll?: boolean, navigate?: boolean }} [opts]
 */
async function fallback(form, action, result, { reset = true, invalidateAll: refresh = true, navigate = !form.hasAttribute('data-formaction-stay') } = {}) {
	const to = result.location && new URL(result.location, location.href);
	const away = result.type !== 'redirect' && !(to ? here(to, true) : here(action));
	if (result.type === 'success' && reset) proto.reset.call(form);
	if (away && navigate && to) {
		if (!result.html) return goto(to);
		leave();
		enter(to);
		scrollTo(0, 0);
		await applyAction(result);
		return announce();
	}
	// Another page's HTML never morphs into this one.
	if ((away || !refresh) && result.type !== 'error') result = { ...result, html: undefined };
	if (result.type === 'success' && refresh && !result.html) await invalidateAll();
	await applyAction(result);
}

/**
 * Whether `url` is the page shown: the same path, and with `query` the
 * same query parameters in any order (SvelteKit 3's is_current_location).
 * @param {URL} url @param {boolean} [query]
 */
function here(url, query) {
	const params = (u) => [...u.searchParams].sort().join('&');
	const now = new URL(location.href);
	return url.origin === now.origin && url.pathname === now.pathname && (!query || params(url) === params(now));
}

/**
 * fetch for a multipart body with files, through XMLHttpRequest, which
 * reports the upload's progress: `formaction:progress` events on the form
 * and its --formaction-progress property, from 0 to 1.
 * @param {HTMLFormElement} form @param {URL} url @param {any} init
 */
function upload(form, url, { headers, body, signal }) {
	return new Promise((resolve, reject) => {
		const xhr = new XMLHttpRequest();
		xhr.open('POST', url);
		for (const name in headers) xhr.setRequestHeader(name, headers[name]);
		xhr.upload.onprogress = xhr.upload.onload = ({ loaded, total }) => {
			form.style.setProperty('--formaction-progress', total && loaded / total);
			form.dispatchEvent(new CustomEvent('formaction:progress', { bubbles: true, detail: { loaded, total } }));
		};
		// A Response, as fetch would give, with where it came from; the
		// headers read are the type and the security policy.
		xhr.onload = () => {
			const response = new Response(xhr.response || null, {
				status: xhr.status,
				statusText: xhr.statusText,
				headers: {
					'content-type': xhr.getResponseHeader('content-type') || '',
					'content-security-policy': xhr.getResponseHeader('content-security-policy') || ''
				}
			});
			const requested = new URL(url);
			requested.hash = ''; // a response's URL has none
			const landed = xhr.responseURL || requested.href;
			Object.defineProperties(response, { url: { value: landed }, redirected: { value: landed !== requested.href } });
			resolve(response);
		};
		xhr.onerror = xhr.onabort = () => reject(new Error('the upload failed'));
		signal.onabort = () => xhr.abort();
		xhr.send(body);
	});
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
