#!/usr/bin/env node
// End-to-end smoke check of the committed artifacts against a running anvil:
//   node scripts/smoke.mjs [RPC_URL]      (default: $ANVIL_RPC_URL)
// or let scripts/smoke.sh start and stop anvil around it (npm run smoke).
//
// Deploys DepinToken + DepinVault from artifacts/, then mint -> approve -> deposit -> payout -> repeated payout
// (must revert BatchAlreadyPaid, also when forced on-chain without gas estimation) -> burnFees, printing every
// event, then a gasless depositWithPermit from an ethers-signed ERC-2612 permit. Signs through anvil's unlocked
// default accounts (eth_sendTransaction and eth_signTypedData_v4), so no private key appears here.

import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ContractFactory, JsonRpcProvider, Signature, TypedDataEncoder, encodeBytes32String, formatUnits, parseUnits } from "ethers";

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
// Chain code equals the artifact's deployedBytecode once the immutables' ranges (filled by the constructor) are zeroed.
const sameCode = (code, art) => {
  const bytes = Buffer.from(code.slice(2), "hex");
  for (const { start, length } of art.immutableReferences) bytes.fill(0, start, start + length);
  return `0x${bytes.toString("hex")}` === art.deployedBytecode;
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

// Expects `fn` to revert with custom error `name`; returns the decoded revert. `also` decodes errors the called
// contract's ABI lacks (the token's, bubbling up through the vault).
async function reverts(what, fn, name, also) {
  try {
    await fn();
  } catch (e) {
    const got = e.revert?.name ?? (e.data ? also?.interface.parseError(e.data)?.name : undefined);
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

check(sameCode(await provider.getCode(await token.getAddress()), tokenArt), "token runtime code equals artifact deployedBytecode outside immutables");
check(sameCode(await provider.getCode(await vault.getAddress()), vaultArt), "vault runtime code equals artifact deployedBytecode outside immutables");
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

// Gasless deposit: the buyer signs an ERC-2612 permit with ethers (eth_signTypedData_v4), the settler relays it.
const permitValue = parseUnits("100", 18);
const deadline = BigInt((await provider.getBlock("latest")).timestamp) + 3600n;
const domain = { name: "DePIN Market Token", version: "1", chainId: network.chainId, verifyingContract: await token.getAddress() };
const permitTypes = { Permit: [{ name: "owner", type: "address" }, { name: "spender", type: "address" }, { name: "value", type: "uint256" }, { name: "nonce", type: "uint256" }, { name: "deadline", type: "uint256" }] };
const permitMessage = { owner: buyer.address, spender: await vault.getAddress(), value: permitValue, nonce: await token.nonces(buyer.address), deadline };
const onChainDomain = await token.eip712Domain();
check(onChainDomain.name === domain.name && onChainDomain.version === "1" && onChainDomain.chainId === domain.chainId && onChainDomain.verifyingContract === domain.verifyingContract, "eip712Domain() is the documented domain");
check((await token.DOMAIN_SEPARATOR()) === TypedDataEncoder.hashDomain(domain), "DOMAIN_SEPARATOR() is the ethers domain hash");
const { v, r, s } = Signature.from(await buyer.signTypedData(domain, permitTypes, permitMessage));
await reverts("depositWithPermit by a non-settler", () => vault.connect(stranger).depositWithPermit.staticCall(account, buyer.address, permitValue, deadline, v, r, s), "AccessControlUnauthorizedAccount");
await mined("depositWithPermit 100 (relayed by the settler)", vault.depositWithPermit(account, buyer.address, permitValue, deadline, v, r, s), vault, token);
check((await token.nonces(buyer.address)) === 1n, "buyer's permit nonce is 1");
check((await token.balanceOf(await vault.getAddress())) === parseUnits("350", 18), "vault holds 350");
await reverts("replayed depositWithPermit", () => vault.depositWithPermit.staticCall(account, buyer.address, permitValue, deadline, v, r, s), "ERC2612InvalidSigner", token);

console.log("smoke OK");
provider.destroy();
