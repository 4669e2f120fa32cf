// Makes merkle-vectors.json: storage-commitment roots and proofs computed with ethers.js 6's keccak256, an
// implementation independent of the C# one, for StorageMerkleTreeVectorTests to compare against.
// The inputs are not stored: each is `length` bytes from xorshift32 seeded with `seed` (the low byte of every state),
// a generator short enough to write again in C#. Run from the repository root after `cd src/contracts && npm ci`:
//   node tests/DepinMarket.Chain.Tests/Crypto/merkle-vectors.mjs > tests/DepinMarket.Chain.Tests/Crypto/merkle-vectors.json
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, "../../../src/contracts/package.json"));
const { keccak256, concat, getBytes, version } = require("ethers");

function xorshift32Bytes(length, seed) {
  const out = new Uint8Array(length);
  let x = seed >>> 0;
  for (let i = 0; i < length; i++) {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

// Written from the contract's rules, level by level: pair left to right, carry an odd last node up unchanged.
function tree(data, chunkSize) {
  const leaves = [];
  for (let offset = 0; offset < data.length; offset += chunkSize) {
    leaves.push(keccak256(data.subarray(offset, Math.min(offset + chunkSize, data.length))));
  }
  const levels = [leaves];
  while (levels.at(-1).length > 1) {
    const below = levels.at(-1);
    const above = [];
    for (let i = 0; i < below.length; i += 2) {
      above.push(i + 1 < below.length ? keccak256(concat([getBytes(below[i]), getBytes(below[i + 1])])) : below[i]);
    }
    levels.push(above);
  }
  return levels;
}

function proof(levels, index) {
  const siblings = [];
  for (const level of levels.slice(0, -1)) {
    const sibling = index ^ 1;
    if (sibling < level.length) siblings.push(level[sibling]);
    index = Math.floor(index / 2);
  }
  return siblings;
}

const cases = [];
function add(length, seed, chunkSize) {
  const levels = tree(xorshift32Bytes(length, seed), chunkSize);
  const chunkCount = levels[0].length;
  const indexes = [...new Set([0, Math.floor(chunkCount / 2), chunkCount - 1])];
  cases.push({
    length, seed, chunkSize, chunkCount,
    root: levels.at(-1)[0],
    proofs: indexes.map(index => ({ index, leaf: levels[0][index], proof: proof(levels, index) })),
  });
}

for (const length of [1, 100, 4096, 4097, 8192, 3 * 4096, 5 * 4096 - 1000, 7 * 4096, 10000, 50 * 4096 + 1]) add(length, 0x5eed0000 + length, 4096);
for (let count = 1; count <= 17; count++) add(count * 64 - (count % 3) * 10, 0xc0ffee00 + count, 64);

process.stdout.write(JSON.stringify({
  source: "tests/DepinMarket.Chain.Tests/Crypto/merkle-vectors.mjs (ethers " + version + ")",
  generator: "xorshift32: x ^= x << 13; x ^= x >>> 17; x ^= x << 5 (32-bit), byte = x & 0xff, starting from seed",
  cases,
}, null, 1) + "\n");
