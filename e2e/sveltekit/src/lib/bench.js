// For BenchmarkApplyVsSvelteKit (e2e/bench_test.go): the use:enhance
// callback of the benchmark pages times SvelteKit's default handling of a
// result, from the callback receiving it to the DOM updated. The test
// defines window.__bench, which forces style and layout and waits for the
// paint; applyAction is exposed so the test can put the page back as it
// was before the failure.
import { tick } from 'svelte';
import { applyAction } from '$app/forms';

if (typeof window !== 'undefined') window.__kitApply = applyAction;

export function timed() {
	return async ({ update }) => {
		const t0 = performance.now();
		await update();
		// applyAction sets the form prop last and does not wait for the DOM.
		await tick();
		await window.__bench?.(t0);
	};
}
