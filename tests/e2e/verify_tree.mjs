// verify_tree.mjs: the tree arithmetic of static/verify.js ("Check my
// signature"), in Node, without a browser or a server: the sections of
// the script from "bytes" to "the log over HTTP" (no I/O there), run
// against logs of up to 70,000 leaves whose hash tiles a stand-in for
// /log/N/tile/ serves from hashes computed here independently.
//
// For pairs of sizes across tile edges and tile levels (1 to 2, 255 to
// 256, 256 to 257, 65,535 to 65,537, 12,345 to 69,999, ...): the
// consistency proof the script builds from the tiles passes its own
// RFC 9162 check against both roots, and fails against another old root;
// the root it computes from the tiles is the tree's; it asks only for
// tiles the current tree has, at that tree's width (the server serves no
// other), and a handful of them.  Inclusion proofs (RFC 6962 PATH, made
// here) pass for their leaf and fail for another.  A root made from
// entries read from a bundle on and tiles before is the tree's, and not
// with an entry changed.  Tile paths are in
// C2SP's form ("x001/x234/067").  A line of TAP each.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ok, plan } from "./lib.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const src = readFileSync(join(here, "../../static/verify.js"), "utf8");
const from = src.indexOf("  /* ---- bytes");
const to = src.indexOf("  /* ---- the log over HTTP");
if (from < 0 || to < from) throw new Error("static/verify.js has lost its section markers");
const exported = "checkTree, checkRecord, subproof, rangeHash, tileReader, withEntries, tilePath, leafHash";
// eslint-disable-next-line no-new-func
const v = new Function("fail", "crypto",
  `var HASH = 32, MAX_PROOF = 64;\n${src.slice(from, to)}\nreturn { ${exported} };`)(
  (key) => { throw new Error(`the script failed: ${key}`); }, globalThis.crypto);

// The tree, computed here: leaves of "entry i", complete subtrees by
// (level, index), RFC 6962's MTH of any range.
const sha = (...parts) => new Uint8Array(createHash("sha256").update(Buffer.concat(parts)).digest());
const LEAVES = 70000;
const leaves = [];
for (let i = 0; i < LEAVES; i++) leaves.push(sha(Buffer.from([0]), Buffer.from(`entry ${i}`)));
const memo = new Map();
function complete(level, index) {
  const key = `${level}/${index}`;
  if (!memo.has(key))
    memo.set(key, level === 0 ? leaves[index]
      : sha(Buffer.from([1]), complete(level - 1, 2 * index), complete(level - 1, 2 * index + 1)));
  return memo.get(key);
}
const split = (n) => { let k = 1; while (k * 2 < n) k *= 2; return k; };
function mth(lo, hi) {
  const n = hi - lo;
  if ((n & (n - 1)) === 0) return complete(Math.log2(n), lo / n);
  const k = split(n);
  return sha(Buffer.from([1]), mth(lo, lo + k), mth(lo + k, hi));
}
function inclusion(m, lo, hi) {
  const n = hi - lo;
  if (n === 1) return [];
  const k = split(n);
  return m < k ? [...inclusion(m, lo, lo + k), mth(lo + k, hi)]
    : [...inclusion(m - k, lo + k, hi), mth(lo, lo + k)];
}

// /log/1/tile/L/N[.p/W] of a tree of size leaves, as the server answers
// while size is its latest checkpoint: only tiles inside it, at its width.
function tileServer(size, asked) {
  return async (path) => {
    const m = /^\/log\/1\/tile\/(\d+)\/((?:x\d{3}\/)*\d{3})(?:\.p\/(\d+))?$/.exec(path);
    if (!m) throw new Error(`not a tile's path: ${path}`);
    const level = Number(m[1]);
    const t = Number(m[2].replace(/[x/]/g, ""));
    const w = m[3] ? Number(m[3]) : 256;
    const count = Math.floor(size / 256 ** level);
    asked.push(path);
    if (w !== Math.min(256, count - t * 256) || w < 1) return null;
    const out = new Uint8Array(w * 32);
    for (let i = 0; i < w; i++) out.set(complete(8 * level, t * 256 + i), i * 32);
    return out;
  };
}

const eq = (a, b) => Buffer.from(a).equals(Buffer.from(b));

ok(v.tilePath(1, 0, 1234067, 1234068 * 256) === "/log/1/tile/0/x001/x234/067", "a tile's index in C2SP's form");
ok(v.tilePath(1, "entries", 2, 600) === "/log/1/tile/entries/002.p/88", "a partial bundle at the tree's width");
ok(v.tilePath(1, 1, 0, 256) === "/log/1/tile/1/000", "a full tile has no width");

for (const [old, size] of [[1, 2], [3, 7], [255, 256], [256, 257], [100, 300], [511, 513],
  [1000, 65536], [65535, 65537], [12345, 69999], [65536, 69000], [5, 5]]) {
  const asked = [];
  const hashAt = v.tileReader(1, size, tileServer(size, asked));
  const proof = [];
  if (old < size) await v.subproof(old, 0, size, true, hashAt, proof);
  ok(await v.checkTree(proof, size, mth(0, size), old, mth(0, old)),
    `${old} to ${size}: the proof from the tiles is consistent (${proof.length} hashes)`);
  ok(!(await v.checkTree(proof, size, mth(0, size), old, mth(0, old === 1 ? 2 : old - 1))),
    `${old} to ${size}: not with another old root`);
  ok(eq(await v.rangeHash(0, size, hashAt), mth(0, size)), `${size}: the root from the tiles`);
  ok(asked.length <= 6, `${old} to ${size}: ${asked.length} tiles asked, each one the tree has (${asked.join(" ")})`);
}

// The entries from a bundle's start to the end, hashed here and mixed
// with tiles for what comes before: the root is the tree's, and not with
// one entry changed (so a root equal to the signed one proves them).
for (const [first, size] of [[0, 5], [256, 300], [256, 5000], [65024, 65537], [65280, 69999]]) {
  const asked = [];
  const hashAt = v.tileReader(1, size, tileServer(size, asked));
  const entries = leaves.slice(first, size).map((leaf) => ({ leaf }));
  ok(eq(await v.rangeHash(0, size, v.withEntries(hashAt, first, entries)), mth(0, size)),
    `${size - first} entries from ${first} of ${size}, with the tiles before: the root`);
  entries[entries.length >> 1] = { leaf: leaves[0] };
  ok(!eq(await v.rangeHash(0, size, v.withEntries(hashAt, first, entries)), mth(0, size)),
    `${size - first} entries from ${first} of ${size}: not with one changed`);
}

for (const [i, size] of [[0, 1], [10, 11], [5, 300], [299, 300], [65536, 69999]]) {
  const proof = inclusion(i, 0, size);
  ok(await v.checkRecord(proof, size, mth(0, size), i, leaves[i]), `leaf ${i} of ${size}: included`);
  ok(!(await v.checkRecord(proof, size, mth(0, size), i, leaves[(i + 1) % size === i ? i + 1 : (i + 1) % size])),
    `leaf ${i} of ${size}: the proof does not hold for another leaf`);
  if (proof.length) {
    const changed = proof.map((h) => h.slice());
    changed[0][0] ^= 1;
    ok(!(await v.checkRecord(changed, size, mth(0, size), i, leaves[i])), `leaf ${i} of ${size}: nor with a hash changed`);
  }
}
ok(eq(await v.leafHash(new TextEncoder().encode("entry 7")), leaves[7]), "a leaf's hash is SHA-256(0x00 ‖ entry)");
plan();
