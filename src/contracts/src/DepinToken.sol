// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @title DePIN Market Token (DPIN)
/// @notice The ERC-20 the marketplace settles in: buyers deposit it into the vault, providers are paid out in it.
/// @dev Plain OpenZeppelin 5 ERC-20 with 18 decimals. Minting is kept (owner only) because test networks and the
///      local anvil chain need a faucet; a production deployment would mint the supply once and renounce ownership.
///      Burnable because the vault burns the marketplace fees it collects (see DepinVault.burnFees).
contract DepinToken is ERC20, ERC20Burnable, Ownable {
    /// @param initialOwner The account allowed to mint (the deployer on test networks).
    constructor(address initialOwner) ERC20("DePIN Market Token", "DPIN") Ownable(initialOwner) {}

    /// @notice Creates `amount` new tokens (in the smallest unit, 18 decimals) for `to`.
    /// @dev Owner only, so the faucet cannot be used by anyone once ownership is renounced.
    function mint(address to, uint256 amount) external onlyOwner {
        _mint(to, amount);
    }
}
