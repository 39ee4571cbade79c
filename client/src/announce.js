/**
 * The route announcer: a polite live region, in the page from the start
 * (a region added later is often not read), visually hidden and not
 * focusable, that says the new page's title after a client-side
 * navigation, as a page load would have.
 */
document.body.insertAdjacentHTML('beforeend', '<div aria-live=polite aria-atomic=true data-formaction-announcer></div>');
export const region = document.body.lastChild;
// Through the CSSOM, which a Content-Security-Policy without
// 'unsafe-inline' allows, where it blocks a style attribute in markup.
region.style.cssText = 'position:fixed;clip-path:inset(50%)';

export function announce() {
	region.textContent = document.title;
}
