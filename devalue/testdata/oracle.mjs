// The conformance oracle: npm devalue under Node. Go tests run it in three
// modes.
//
//   node oracle.mjs corpus
//   node oracle.mjs random SEED COUNT
//     print one JSON line per value: {"name", "v5", "v6"}, the stringify
//     output of devalue 5.9.4 and 6.0.3 for a hand-written corpus, or for
//     COUNT random values from SEED.
//   node oracle.mjs reparse
//     reads devalue texts, one JSON string per line, and prints for each
//     {"v5", "v6"}: stringify(parse(text)) with each version, or {"error"}.
import * as v5 from 'devalue-5';
import * as v6 from 'devalue-6';
import { createInterface } from 'node:readline';

class Vector {
	constructor(x, y) {
		this.x = x;
		this.y = y;
	}
}
const reducers = { Vector: (v) => v instanceof Vector && [v.x, v.y] };
const revivers = { Vector: ([x, y]) => new Vector(x, y) };

function corpus() {
	const c = [];
	const add = (name, make) => c.push([name, make]);
	// numbers
	for (const n of [0, 1, -1, 0.5, 1e21, 1e-7, -1e-7, 0.000001, 123456789012345680000, 2 ** 53, 2 ** 53 - 1,
		5e-324, Number.MAX_VALUE, 1.5e300, 0.1 + 0.2, 1234567, 1e20, 1e-6, 123e-20, -0, NaN, Infinity, -Infinity, 100, 1.0e15, 1e16 + 2])
		add(`number ${Object.is(n, -0) ? '-0' : n}`, () => n);
	add('numbers in an array', () => [0, -0, NaN, 1, 1, 2.5, -Infinity]);
	// strings: every escape class
	add('escapes', () => ['"', '\\', '\b\f\n\r\t', '\u0000\u0001\u001f', '<', '</script>', '\u2028\u2029', '>&/\'', '\u007f\u0085\u00a0\ufeff', 'é€😀', '']);
	add('control characters', () => Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join(''));
	add('keys with escapes', () => ({ 'a"b': 1, '<k>': 2, '\u2028': 3, 'x y': 4, '': 5 }));
	// primitives, dedup
	add('null', () => null);
	add('undefined', () => undefined);
	add('true', () => true);
	add('string root', () => 'hello');
	add('dedup', () => ({ a: 1, b: 1, c: 'x', d: 'x', e: true, f: true, g: null, h: null, i: 1n, j: 1n, k: '1' }));
	add('bigints', () => [0n, -12345678901234567890n, 2n ** 64n + 1n]);
	// key order
	add('key order', () => ({ b: 1, 2: 'x', a: 2, 1: 'y', '01': 3, 4294967294: 4, 4294967295: 5, '-1': 6 }));
	// holes and sparse arrays
	add('holes', () => [, 1, , 3, ,]);
	add('one hole', () => [,]);
	add('empty array of length 3', () => new Array(3));
	add('sparse', () => { const a = [1]; a[12] = 2; return a; });
	add('sparse strings', () => ['a', , , , , 'b']);
	add('very sparse', () => { const a = []; a[1e6] = 'x'; return a; });
	add('max length', () => { const a = []; a.length = 2 ** 32 - 1; a[5] = 1; return a; });
	// objects
	add('nested', () => ({ user: { name: 'Ada', tags: ['a', 'b'], address: { city: 'London' } } }));
	add('null prototype', () => Object.assign(Object.create(null), { a: 1, b: { c: 2 } }));
	add('empty null prototype', () => Object.create(null));
	// dates
	add('dates', () => [new Date(0), new Date(1e12), new Date(-1), new Date(8.64e15), new Date(-8.64e15), new Date(NaN),
		new Date(Date.UTC(-1, 0, 1)), new Date(Date.UTC(10000, 0, 1)), new Date(Date.UTC(2024, 1, 29, 23, 59, 59, 999))]);
	add('same Date twice', () => { const d = new Date(0); return [d, d, new Date(0)]; });
	// regexps, URLs
	add('regexps', () => [/a.b/, /x/gi, /[<\/]/dgimsuy, new RegExp('a\u2028b', 'v')]);
	add('urls', () => [new URL('https://example.com'), new URL('http://a.b/p?q=1#h'), new URLSearchParams('a=1&b=%3C+%3E&c=~*')]);
	// maps and sets
	add('map', () => new Map([['a', 1], [2, 'b'], [null, undefined], [NaN, -0]]));
	add('map with object keys', () => { const k = { id: 1 }; return new Map([[k, 'v'], [[1, 2], k], [new Date(0), new Set([k])]]); });
	add('set', () => new Set([1, 'a', { b: 2 }, [3], 1n]));
	add('empty map and set', () => [new Map(), new Set()]);
	// typed arrays
	add('typed arrays', () => [new Uint8Array([1, 2, 3]), new Int16Array([-1, 2]), new Float64Array([0.5, NaN]), new BigInt64Array([-1n]),
		new Uint8ClampedArray([255]), new Float32Array([1.5]), new Uint32Array(0)]);
	add('typed array offsets', () => { const buf = new ArrayBuffer(16); new Uint8Array(buf).set([1, 2, 3, 4, 5, 6, 7, 8]);
		return [new Uint8Array(buf, 4, 2), new Int32Array(buf, 8, 1), new DataView(buf), new DataView(buf, 2, 3), buf]; });
	add('shared buffer', () => { const b = new ArrayBuffer(4); return { x: new Uint8Array(b), y: new Uint16Array(b, 2, 1), b }; });
	add('array buffer', () => new ArrayBuffer(5));
	// boxed
	add('boxed', () => [Object(1), Object('s'), Object(true), Object(1n), Object(NaN), Object(-0), Object(Infinity)]);
	// repeats and cycles
	add('repeats', () => { const o = { a: 1 }; const arr = [o]; return { o, again: o, arr, arr2: arr, list: [o, o] }; });
	add('cycle', () => { const o = { name: 'self' }; o.self = o; return o; });
	add('array cycle', () => { const a = []; a.push(a, a); return a; });
	add('map cycle', () => { const m = new Map(); m.set(m, m); return m; });
	add('set cycle', () => { const s = new Set(); s.add(s); return s; });
	add('deep', () => { let v = 'leaf'; for (let i = 0; i < 200; i++) v = { v }; return v; });
	// custom types
	add('custom', () => ({ v: new Vector(30, 40), w: new Vector(30, 40), list: [new Vector(1, 2)] }));
	add('custom shared', () => { const v = new Vector(1, 1); return [v, v]; });
	return c;
}

// mulberry32: a small seeded generator, so a failing seed can be rerun.
function rng(seed) {
	return () => {
		seed |= 0;
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function randomValue(r) {
	const int = (n) => Math.floor(r() * n);
	const pick = (list) => list[int(list.length)];
	const pool = [];
	const chars = ['a', 'b', 'z', '"', '\\', '<', '\n', '\u0001', '\u2028', 'é', '😀', ' ', '/', '0', '1', '€'];
	const str = () => Array.from({ length: int(6) }, () => pick(chars)).join('');
	const key = () => pick([str(), String(int(20)), pick(['id', 'name', 'x y', '1e3', '01', '-0'])]);
	const num = () => pick([int(100), -int(100), r() * 1e6, r(), -r() * 1e-8, 1e21 * r(), 2 ** 60, pick([NaN, Infinity, -Infinity, -0, 0])]);
	const prim = () => pick([num, str, () => pick([true, false, null, undefined]), () => BigInt(int(1e6)) * (r() < 0.5 ? -1n : 1n)])();
	const value = (depth, ancestors) => {
		if (depth > 3 || r() < 0.35) return prim();
		if (pool.length && r() < 0.1) return pick(pool); // a repeat
		if (ancestors.length && r() < 0.05) return pick(ancestors); // a cycle
		let v;
		switch (int(10)) {
			case 0: case 1: case 2: {
				v = r() < 0.1 ? Object.create(null) : {};
				for (let i = int(5); i > 0; i--) { const k = key(); if (k !== '__proto__') v[k] = value(depth + 1, [...ancestors, v]); }
				break;
			}
			case 3: case 4: {
				v = [];
				const n = int(6);
				for (let i = 0; i < n; i++) if (r() < 0.8) v[i] = value(depth + 1, [...ancestors, v]);
				if (r() < 0.1) v[int(100)] = prim();
				v.length = Math.max(v.length, n);
				break;
			}
			case 5: v = new Map(); for (let i = int(4); i > 0; i--) v.set(r() < 0.3 ? {} : prim(), value(depth + 1, [...ancestors, v])); break;
			case 6: v = new Set(); for (let i = int(4); i > 0; i--) v.add(value(depth + 1, [...ancestors, v])); break;
			case 7: v = pick([() => new Date(Math.floor((r() - 0.5) * 1e13)), () => new Date(NaN), () => /a+b/gi, () => new URL('https://x.y/' + int(9)),
				() => new URLSearchParams('q=' + str()), () => Object(prim() ?? 1)])(); break;
			case 8: { const buf = new ArrayBuffer(8 + int(8)); new Uint8Array(buf).forEach((_, i, a) => (a[i] = int(256)));
				v = pick([() => new Uint8Array(buf), () => new Uint8Array(buf, int(4), 2), () => new Int16Array(buf, 2, 2), () => new DataView(buf, 1, 3), () => buf])(); break; }
			default: v = new Vector(int(10), str());
		}
		if (typeof v === 'object' && v !== null) pool.push(v);
		return v;
	};
	return value(0, []);
}

function stringifyBoth(make) {
	const out = {};
	for (const [name, lib] of [['v5', v5], ['v6', v6]]) {
		try {
			out[name] = lib.stringify(make(), reducers);
		} catch (e) {
			out[name + 'error'] = String(e.message);
		}
	}
	return out;
}

const [mode, seedArg, countArg] = process.argv.slice(2);
if (mode === 'corpus') {
	for (const [name, make] of corpus()) console.log(JSON.stringify({ name, ...stringifyBoth(make) }));
} else if (mode === 'random') {
	const seed = Number(seedArg);
	for (let i = 0; i < Number(countArg); i++) {
		const r = rng(seed + i);
		console.log(JSON.stringify({ name: `random seed ${seed + i}`, ...stringifyBoth(() => randomValue(r)) }));
	}
} else if (mode === 'reparse') {
	for await (const line of createInterface({ input: process.stdin })) {
		const text = JSON.parse(line);
		const out = {};
		for (const [name, lib] of [['v5', v5], ['v6', v6]]) {
			try {
				out[name] = lib.stringify(lib.parse(text, revivers), reducers);
			} catch (e) {
				out.error = `${name}: ${e.message}`;
			}
		}
		console.log(JSON.stringify(out));
	}
} else if (mode === 'dates') {
	// new Date(text).getTime() of each line, in the time zone seedArg.
	process.env.TZ = seedArg;
	for await (const line of createInterface({ input: process.stdin })) console.log(String(new Date(line).getTime()));
} else {
	console.error('usage: node oracle.mjs corpus | random SEED COUNT | reparse | dates ZONE');
	process.exit(2);
}
