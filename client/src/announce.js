/**
 * The route announcer: a polite live region, in the page from the start
 * (a region added later is often not read), visually hidden and not
 * focusable, that says the new page's title after a client-side
 * navigation, as a page load would have.
 */
document.body.insertAdjacentHTML(
	'beforeend',
	'<div aria-live=polite aria-atomic=true data-formaction-announcer style="position:fixed;clip-path:inset(50%)"></div>'
);
export const region = document.body.lastChild;

export function announce() {
	region.textContent = document.title;
}
