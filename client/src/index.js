import { deserialize, revivers_default as revivers } from './deserialize.js';
import { applyAction } from './apply.js';
import { enhance, handle_document_submit } from './form.js';
import { goto, invalidateAll, handle_history } from './navigate.js';
import { page } from './page.js';
import { warm_up } from './morph.js';

// The bundle is an IIFE that installs itself; nothing is exported from the
// entry so esbuild adds no module-interop helpers to the output.
window.formaction = { enhance, applyAction, deserialize, goto, invalidateAll, page, revivers };
addEventListener('submit', handle_document_submit);
handle_history();
(window.requestIdleCallback || setTimeout)(warm_up);
