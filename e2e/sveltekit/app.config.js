// What both builds share. kit2/ and kit3/ hold each version's package.json,
// lock and Vite config (SvelteKit 3 takes its options in the Vite plugin, 2
// from svelte.config.js); e2e/sveltekit_test.go copies src/, this file and
// the version's folder into one build directory.
import { readFileSync } from 'node:fs';
import adapter from '@sveltejs/adapter-static';

// SvelteKit's options: a single-page app, where every path without a file
// gets 200.html and the client router takes it from there.
export const kit = {
	adapter: adapter({ fallback: '200.html' })
};

// The page shows which SvelteKit it was built with, so the test can check
// that each build really runs its own version.
const pkg = JSON.parse(readFileSync('node_modules/@sveltejs/kit/package.json', 'utf8'));

export const vite = {
	define: { __KIT_VERSION__: JSON.stringify(pkg.version) },
	logLevel: 'warn'
};
