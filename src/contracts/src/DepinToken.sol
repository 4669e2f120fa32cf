// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @title DePIN Market Token (DPIN)
/// @notice The ERC-20 the marketplace settles in: buyers deposit it into the vault, providers are paid out in it.
/// @dev Plain OpenZeppelin 5 ERC-20 with 18 decimals. Minting is kept (owner only) because test networks and the
///      local anvil chain need a faucet; a production deployment would mint the supply once and renounce ownership.
///      Burnable because the vault burns the marketplace fees it collects (see DepinVault.burnFees).
///      ERC-2612 `permit` (OpenZeppelin ERC20Permit) so a holder without ETH can deposit: it signs an EIP-712 Permit
///      off-chain and the marketplace relays it through DepinVault.depositWithPermit, paying the gas. The EIP-712
///      domain is { name: "DePIN Market Token", version: "1", chainId, verifyingContract: this token } (no salt), as
///      `eip712Domain()` (EIP-5267) reports; `nonces(owner)` is the nonce the next permit must carry.
contract DepinToken is ERC20, ERC20Burnable, ERC20Permit, Ownable {
    /// @dev The ERC-20 name doubles as the EIP-712 domain name, as OpenZeppelin recommends: wallets show it.
    string private constant NAME = "DePIN Market Token";

    /// @param initialOwner The account allowed to mint (the deployer on test networks).
    constructor(address initialOwner) ERC20(NAME, "DPIN") ERC20Permit(NAME) Ownable(initialOwner) {}

    /// @notice Creates `amount` new tokens (in the smallest unit, 18 decimals) for `to`.
    /// @dev Owner only, so the faucet cannot be used by anyone once ownership is renounced.
    function mint(address to, uint256 amount) external onlyOwner {
        _mint(to, amount);
    }
}
