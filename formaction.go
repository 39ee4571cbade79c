// Package formaction brings SvelteKit's form actions, with progressive
// enhancement, to Go web apps: plain HTML forms post to a page's actions and
// work without JavaScript, and the embedded client, enhance.js, upgrades the
// same forms to fetch submissions that update the page in place.
package formaction
