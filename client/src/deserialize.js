import { parse } from 'devalue';

/**
 * Turns the text of an action response into an ActionResult. It accepts the
 * envelopes of SvelteKit 2 and 3; `data` is devalue text, revived with
 * `revivers` for custom types (by default `formaction.revivers`, where an
 * app registers its own). Text that is not an envelope (a proxy's HTML
 * error page, a truncated body) becomes an error result instead of throwing,
 * so a bad response can never break the page that submitted.
 * @param {string} text
 * @param {Record<string, (value: any) => any>} [revivers]
 */
export function deserialize(text, revivers = revivers_default) {
	let result;
	try {
		result = JSON.parse(text);
	} catch {}
	if (typeof result?.type !== 'string') return invalid('The server answered with something other than an action result');
	if (typeof result.data === 'string') {
		try {
			result.data = parse(result.data, revivers);
		} catch (error) {
			return invalid(`The action result could not be decoded: ${error.message}`);
		}
	}
	return result;
}

/** @type {Record<string, (value: any) => any>} */
export const revivers_default = {};

/** @param {string} message */
function invalid(message) {
	return { type: 'error', status: 500, error: { message } };
}
