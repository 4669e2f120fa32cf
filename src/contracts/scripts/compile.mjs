#!/usr/bin/env node
// Compiles src/*.sol with solc-js (standard JSON, optimizer on) into artifacts/<Contract>.json.
//
//   node scripts/compile.mjs            write artifacts/ (npm run compile)
//   node scripts/compile.mjs --verify   recompile in memory, compare byte for byte with the committed
//                                       artifacts, exit 1 when they are stale (npm run verify-artifacts)
//
// Output is deterministic: sources are keyed by repo-independent paths ("src/X.sol", "@openzeppelin/..."),
// settings are fixed, JSON is written with sorted source lists and a trailing newline. The C# side embeds the
// committed artifacts, so a contract change without a recompile must fail the tests, not ship stale bytecode.

import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SRC_DIR = join(ROOT, "src");
const ARTIFACTS_DIR = join(ROOT, "artifacts");
const NODE_MODULES = join(ROOT, "node_modules");
const FORMAT = "depinmarket-artifact-1";

// Changing any of these changes the bytecode: keep them in one place and record them in every artifact.
const SETTINGS = {
  optimizer: { enabled: true, runs: 200 },
  evmVersion: "cancun", // supported by anvil and every current testnet; pinned so a solc bump cannot move it
};

const verify = process.argv.includes("--verify");

function fail(message) {
  process.stderr.write(`contracts: ${message}\n`);
  process.exit(1);
}

const sha256 = (text) => createHash("sha256").update(text, "utf8").digest("hex");

function loadSolc() {
  const require = createRequire(join(ROOT, "package.json"));
  try {
    return require("solc");
  } catch {
    fail(`solc is not installed: run "npm ci" in ${ROOT}`);
  }
}

// Every contract source in src/, keyed "src/<File>.sol".
function readOwnSources() {
  const files = readdirSync(SRC_DIR).filter((f) => f.endsWith(".sol")).sort();
  if (files.length === 0) fail(`no .sol files in ${SRC_DIR}`);
  const sources = {};
  for (const f of files) sources[`src/${f}`] = { content: readFileSync(join(SRC_DIR, f), "utf8") };
  return sources;
}

// Import callback: library imports ("@openzeppelin/contracts/...") come from node_modules only.
const readCache = new Map();
function findImport(path) {
  if (path.includes("..") || path.startsWith("/") || path.includes("\\")) {
    return { error: `import path not allowed: ${path}` };
  }
  const base = path.startsWith("src/") ? ROOT : NODE_MODULES;
  const file = join(base, path);
  if (!file.startsWith(base + sep) || !existsSync(file)) {
    return { error: `not found: ${path} (is node_modules installed? run "npm ci")` };
  }
  if (!readCache.has(path)) readCache.set(path, readFileSync(file, "utf8"));
  return { contents: readCache.get(path) };
}

// The byte ranges of deployedBytecode that the constructor fills with immutables (zeros in the artifact): solc's
// immutableReferences without its AST ids, sorted by offset. Code read from a chain equals deployedBytecode outside them.
function immutableRanges(references) {
  return Object.values(references ?? {})
    .flat()
    .map(({ start, length }) => ({ start, length }))
    .sort((a, b) => a.start - b.start);
}

function compile() {
  const solc = loadSolc();
  const ownSources = readOwnSources();
  const outputSelection = {};
  for (const name of Object.keys(ownSources)) {
    outputSelection[name] = { "*": [
      "abi",
      "evm.bytecode.object",
      "evm.deployedBytecode.object",
      "evm.deployedBytecode.immutableReferences",
      "metadata",
    ] };
  }
  const input = {
    language: "Solidity",
    sources: ownSources,
    settings: { ...SETTINGS, outputSelection },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImport }));

  const diagnostics = output.errors ?? [];
  const errors = diagnostics.filter((e) => e.severity === "error");
  if (errors.length > 0) fail(`compilation failed:\n${errors.map((e) => e.formattedMessage).join("\n")}`);
  if (!verify) for (const w of diagnostics) process.stderr.write(w.formattedMessage + "\n");

  // Content of every source the compiler saw (own files and resolved imports).
  const allContent = (name) => ownSources[name]?.content ?? readCache.get(name);

  const compilerVersion = solc.version();
  const artifacts = new Map();
  for (const sourceName of Object.keys(ownSources)) {
    for (const [contractName, out] of Object.entries(output.contracts?.[sourceName] ?? {})) {
      if (artifacts.has(`${contractName}.json`)) fail(`two contracts named ${contractName}`);
      const metadata = JSON.parse(out.metadata);
      // The sources this contract was built from are exactly those in its metadata.
      const used = Object.keys(metadata.sources).sort();
      const sources = {};
      for (const name of used) {
        const content = allContent(name);
        if (content === undefined) fail(`missing source content for ${name}`);
        sources[name] = sha256(content);
      }
      // sourceHash = sha256 of the `sha256sum`-style listing "<sha256>  <path>\n", sorted by path.
      const sourceHash = sha256(used.map((n) => `${sources[n]}  ${n}\n`).join(""));
      const artifact = {
        _format: FORMAT,
        contractName,
        sourceName,
        compiler: { name: "solc", version: compilerVersion, settings: SETTINGS },
        sourceHash,
        sources,
        abi: out.abi,
        bytecode: `0x${out.evm.bytecode.object}`,
        deployedBytecode: `0x${out.evm.deployedBytecode.object}`,
        immutableReferences: immutableRanges(out.evm.deployedBytecode.immutableReferences),
      };
      if (artifact.bytecode === "0x") continue; // interfaces and abstract contracts are not deployable
      artifacts.set(`${contractName}.json`, JSON.stringify(artifact, null, 2) + "\n");
    }
  }
  return artifacts;
}

const artifacts = compile();

if (!verify) {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  for (const [file, text] of artifacts) writeFileSync(join(ARTIFACTS_DIR, file), text);
  const extra = readdirSync(ARTIFACTS_DIR).filter((f) => f.endsWith(".json") && !artifacts.has(f));
  for (const f of extra) process.stderr.write(`contracts: warning: artifacts/${f} is not produced by any source; delete it\n`);
  console.log(`compiled ${[...artifacts.keys()].join(", ")} -> ${ARTIFACTS_DIR}`);
} else {
  const problems = [];
  for (const [file, text] of artifacts) {
    const path = join(ARTIFACTS_DIR, file);
    if (!existsSync(path)) problems.push(`artifacts/${file} is missing`);
    else if (!readFileSync(path).equals(Buffer.from(text, "utf8"))) problems.push(`artifacts/${file} differs`);
  }
  if (existsSync(ARTIFACTS_DIR)) {
    for (const f of readdirSync(ARTIFACTS_DIR).filter((f) => f.endsWith(".json") && !artifacts.has(f))) {
      problems.push(`artifacts/${f} is not produced by any source`);
    }
  }
  if (problems.length > 0) {
    fail(
      `artifacts are stale (the Solidity sources, solc version or settings changed):\n  ${problems.join("\n  ")}\n` +
        `fix: cd src/contracts && npm run compile, then commit src/contracts/artifacts`,
    );
  }
  console.log("artifacts up to date");
}
