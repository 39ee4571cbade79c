// Times npm devalue on a payload Go wrote, for the Go benchmarks' ratios:
//   node bench.mjs FILE        →  {"parse": ns, "stringify": ns}
//   node bench.mjs FILE parse  →  {"parse": ns}
// parse reads the file's text; stringify writes the value parse returned,
// so both sides work on the same value. The second form times parse alone,
// for hostile texts that stringify would not write. Each is the median of
// runs of at least 200 ms after a warm-up.
import { parse, stringify } from 'devalue-6';
import { readFileSync } from 'node:fs';

const [file, only] = process.argv.slice(2);
const text = readFileSync(file, 'utf8');

function time(fn) {
	for (let i = 0; i < 20; i++) fn(); // warm up the JIT
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

if (only === 'parse') {
	console.log(JSON.stringify({ parse: time(() => parse(text)) }));
} else {
	const value = parse(text);
	if (stringify(value) !== text) throw new Error('the payload does not round-trip in devalue');
	console.log(JSON.stringify({ parse: time(() => parse(text)), stringify: time(() => stringify(value)) }));
}
