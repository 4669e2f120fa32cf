#!/usr/bin/env node
// End-to-end smoke check of the committed artifacts against a running anvil:
//   node scripts/smoke.mjs [RPC_URL]      (default: $ANVIL_RPC_URL)
// or let scripts/smoke.sh start and stop anvil around it (npm run smoke).
//
// Deploys DepinToken + DepinVault from artifacts/, then mint -> approve -> deposit -> payout -> repeated payout
// (must revert BatchAlreadyPaid, also when forced on-chain without gas estimation) -> burnFees, printing every
// event. Signs through anvil's unlocked default accounts (eth_sendTransaction), so no private key appears here.

import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ContractFactory, JsonRpcProvider, encodeBytes32String, formatUnits, parseUnits } from "ethers";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const url = process.argv[2] ?? process.env.ANVIL_RPC_URL;
if (!url) {
  console.error("usage: node scripts/smoke.mjs RPC_URL (or set ANVIL_RPC_URL)");
  process.exit(2);
}

const artifact = (name) => JSON.parse(readFileSync(join(ROOT, "artifacts", `${name}.json`), "utf8"));
const check = (cond, what) => {
  if (!cond) throw new Error(`smoke check failed: ${what}`);
  console.log(`  ok  ${what}`);
};
const dpin = (v) => `${formatUnits(v, 18)} DPIN`;

// Awaits a transaction and prints the decoded events of the given contracts.
async function mined(label, txPromise, ...contracts) {
  const tx = await txPromise;
  const receipt = await tx.wait();
  console.log(`${label}: block ${receipt.blockNumber}, gas ${receipt.gasUsed}, status ${receipt.status}`);
  for (const log of receipt.logs) {
    for (const c of contracts) {
      if (log.address.toLowerCase() !== (await c.getAddress()).toLowerCase()) continue;
      const parsed = c.interface.parseLog(log);
      if (parsed) console.log(`    event ${parsed.signature} ${JSON.stringify(parsed.args.toArray(), (_, v) => (typeof v === "bigint" ? v.toString() : v))}`);
    }
  }
  return receipt;
}

// Expects `fn` to revert with custom error `name`; returns the decoded revert.
async function reverts(what, fn, name) {
  try {
    await fn();
  } catch (e) {
    const got = e.revert?.name;
    check(got === name, `${what} reverts with ${name}${got !== name ? ` (got ${got ?? e.shortMessage ?? e.message})` : ""}`);
    return e.revert;
  }
  throw new Error(`smoke check failed: ${what} did not revert`);
}

const provider = new JsonRpcProvider(url, undefined, { staticNetwork: true, polling: true, pollingInterval: 50 });
const network = await provider.getNetwork();
console.log(`chain id ${network.chainId} at ${url}`);
const [deployer, buyer, providerA, providerB, stranger] = await Promise.all([0, 1, 2, 3, 4].map((i) => provider.getSigner(i)));
console.log(`deployer (anvil account 0): ${deployer.address}`);

const tokenArt = artifact("DepinToken");
const vaultArt = artifact("DepinVault");
const token = await new ContractFactory(tokenArt.abi, tokenArt.bytecode, deployer).deploy(deployer.address);
await mined("deploy DepinToken", token.deploymentTransaction(), token);
const vault = await new ContractFactory(vaultArt.abi, vaultArt.bytecode, deployer).deploy(
  await token.getAddress(), deployer.address, deployer.address);
await mined("deploy DepinVault", vault.deploymentTransaction(), vault);
console.log(`token ${await token.getAddress()}, vault ${await vault.getAddress()}`);

check((await provider.getCode(await token.getAddress())) === tokenArt.deployedBytecode, "token runtime code equals artifact deployedBytecode");
check((await token.name()) === "DePIN Market Token" && (await token.symbol()) === "DPIN" && (await token.decimals()) === 18n, "token name/symbol/decimals");
check(await vault.hasRole(await vault.SETTLER_ROLE(), deployer.address), "deployer holds SETTLER_ROLE");

const account = encodeBytes32String("acct-0001");
await mined("mint 1000 to buyer", token.mint(buyer.address, parseUnits("1000", 18)), token);
await reverts("mint by a non-owner", () => token.connect(stranger).mint.staticCall(stranger.address, 1n), "OwnableUnauthorizedAccount");
await mined("approve vault 600", token.connect(buyer).approve(await vault.getAddress(), parseUnits("600", 18)), token);
await mined("deposit 600", vault.connect(buyer).deposit(account, parseUnits("600", 18)), vault, token);
check((await token.balanceOf(await vault.getAddress())) === parseUnits("600", 18), "vault holds 600");

const batch = encodeBytes32String("batch-0001");
check(!(await vault.isBatchPaid(batch)), "isBatchPaid(batch) is false before payout");
await reverts("payout by a non-settler", () => vault.connect(stranger).payout.staticCall(batch, [providerA.address], [1n]), "AccessControlUnauthorizedAccount");
await reverts("payout with mismatched lengths", () => vault.payout.staticCall(batch, [providerA.address, providerB.address], [1n]), "LengthMismatch");
await reverts("payout of an empty batch", () => vault.payout.staticCall(batch, [], []), "EmptyBatch");
const recipients = [providerA.address, providerB.address];
const amounts = [parseUnits("100", 18), parseUnits("200", 18)];
await mined("payout batch-0001", vault.payout(batch, recipients, amounts), vault, token);
check(await vault.isBatchPaid(batch), "isBatchPaid(batch) is true after payout");
check((await token.balanceOf(providerB.address)) === parseUnits("200", 18), "provider B received 200");

const again = await reverts("repeated payout of batch-0001 (eth_call)", () => vault.payout.staticCall(batch, recipients, amounts), "BatchAlreadyPaid");
check(again.args[0] === batch, "BatchAlreadyPaid carries the batch id");
// A worker that skips estimation (fixed gas limit, re-broadcast) still cannot pay twice: the transaction is mined and reverts.
try {
  const tx = await vault.payout(batch, recipients, amounts, { gasLimit: 200_000n });
  await tx.wait();
  throw new Error("smoke check failed: forced repeated payout succeeded");
} catch (e) {
  check(e.code === "CALL_EXCEPTION" && e.receipt?.status === 0, `forced repeated payout is mined with status 0 (block ${e.receipt?.blockNumber})`);
}
check((await token.balanceOf(await vault.getAddress())) === parseUnits("300", 18), "vault still holds 300 after the refused repeat");

await mined("burnFees 50 for batch-0001", vault.burnFees(batch, parseUnits("50", 18)), vault, token);
await reverts("repeated burnFees of batch-0001", () => vault.burnFees.staticCall(batch, 1n), "FeesAlreadyBurned");
check(await vault.isFeesBurned(batch), "isFeesBurned(batch) is true");
check((await token.totalSupply()) === parseUnits("950", 18), `total supply is ${dpin(await token.totalSupply())} after burning 50`);
check((await token.balanceOf(await vault.getAddress())) === parseUnits("250", 18), "vault holds 250");

console.log("smoke OK");
provider.destroy();
