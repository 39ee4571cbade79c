import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';
import { vite } from './app.config.js';

export default defineConfig({ ...vite, plugins: [sveltekit()] });
