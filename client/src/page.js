/**
 * What the client knows of the current page: the last action's data and
 * status, and the error an error result showed. applyAction updates it and
 * dispatches `formaction:page` on the document.
 */
export const page = {
	url: new URL(location.href),
	form: null,
	status: 200,
	error: null
};
