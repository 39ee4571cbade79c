import { deserialize } from './deserialize.js';

// The bundle is an IIFE that installs itself; nothing is exported from the
// entry so esbuild adds no module-interop helpers to the output.
window.formaction = { deserialize };
