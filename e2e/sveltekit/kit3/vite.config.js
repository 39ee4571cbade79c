import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';
import { kit, vite } from './app.config.js';

// SvelteKit 3 reads its options here: svelte.config.js is refused.
export default defineConfig({ ...vite, plugins: [sveltekit(kit)] });
