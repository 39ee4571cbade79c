// Times npm devalue's parse on a text, for the Go benchmarks' ratios on
// hostile input (texts stringify would not write, so bench.mjs's round
// trip does not apply):
//   node parse-bench.mjs FILE  →  {"parse": ns}
// The median of five runs of at least 200 ms after a warm-up, as
// bench.mjs measures.
import { parse } from 'devalue-6';
import { readFileSync } from 'node:fs';

const text = readFileSync(process.argv[2], 'utf8');

function time(fn) {
	for (let i = 0; i < 5; i++) fn(); // warm up the JIT
	const samples = [];
	for (let run = 0; run < 5; run++) {
		let n = 0;
		const start = process.hrtime.bigint();
		let elapsed = 0n;
		while (elapsed < 200_000_000n) {
			fn();
			n++;
			elapsed = process.hrtime.bigint() - start;
		}
		samples.push(Number(elapsed) / n);
	}
	samples.sort((a, b) => a - b);
	return samples[2];
}

console.log(JSON.stringify({ parse: time(() => parse(text)) }));
