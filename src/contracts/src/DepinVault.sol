// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";

/// @title DepinMarket settlement vault
/// @notice Holds the marketplace's DPIN. Buyers deposit into it (credited off-chain to a marketplace account),
///         the settlement worker pays providers out of it in batches and burns the collected fees.
/// @dev The off-chain settlement is a transactional outbox that may re-broadcast a batch after a crash or a fee
///      bump. The contract is the last line of defence against paying twice: every batch id can be paid (and its
///      fees burned) at most once, whatever the worker does.
contract DepinVault is AccessControl {
    using SafeERC20 for IERC20;

    /// @notice Role of the settlement worker's signing key: may pay out batches and burn fees.
    /// @dev Separate from DEFAULT_ADMIN_ROLE so a leaked hot key cannot grant roles; the admin can revoke it.
    bytes32 public constant SETTLER_ROLE = keccak256("SETTLER_ROLE");

    /// @dev ERC-2612's Permit type hash, the same as OpenZeppelin ERC20Permit's (private there).
    bytes32 private constant PERMIT_TYPEHASH =
        keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)");

    /// @notice The token this vault holds (DPIN). Immutable: the vault never switches currency.
    /// @dev Must also implement ERC20Burnable for burnFees and IERC20Permit for depositWithPermit.
    IERC20 public immutable token;

    /// @dev Batch ids already paid out by payout().
    mapping(bytes32 batchId => bool paid) private _paidBatches;

    /// @dev Batch ids whose fees were already burned by burnFees(). Its own set, so one batch id can carry both
    ///      the payouts and the fee burn of the same settlement.
    mapping(bytes32 batchId => bool burned) private _burnedBatches;

    /// @notice Tokens were deposited for marketplace account `account` (an opaque off-chain id).
    /// @dev The off-chain indexer credits `account` from this event once it has enough confirmations.
    event Deposited(bytes32 indexed account, address indexed from, uint256 amount);

    /// @notice One event per paid batch: the indexer confirms the whole batch from it.
    event PayoutBatch(bytes32 indexed batchId, uint256 recipientCount, uint256 total);

    /// @notice One event per transfer of a batch, for audit and per-provider reconciliation.
    event Payout(bytes32 indexed batchId, address indexed recipient, uint256 amount);

    /// @notice `amount` fee tokens held by the vault were burned for settlement batch `batchId`.
    event FeesBurned(bytes32 indexed batchId, uint256 amount);

    /// @notice payout() was called again for a batch id that was already paid.
    error BatchAlreadyPaid(bytes32 batchId);

    /// @notice burnFees() was called again for a batch id whose fees were already burned.
    error FeesAlreadyBurned(bytes32 batchId);

    /// @notice recipients and amounts have different lengths.
    error LengthMismatch();

    /// @notice payout() with no recipients: would burn a batch id without paying anyone.
    error EmptyBatch();

    /// @notice A deposit or fee burn of zero tokens: always an off-chain bug, never intended.
    error ZeroAmount();

    /// @notice A deposit for the zero account id, which no marketplace account can own.
    error ZeroAccount();

    /// @notice A zero address where a real one is required (constructor).
    error ZeroAddress();

    /// @param token_ The DPIN token (must be ERC20Burnable).
    /// @param admin Receives DEFAULT_ADMIN_ROLE (grants and revokes settlers).
    /// @param settler Receives SETTLER_ROLE, so a fresh deployment can settle without a second transaction.
    constructor(IERC20 token_, address admin, address settler) {
        if (address(token_) == address(0) || admin == address(0) || settler == address(0)) revert ZeroAddress();
        token = token_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(SETTLER_ROLE, settler);
    }

    /// @notice Pulls `amount` tokens from the caller (approve the vault first) and credits marketplace `account`.
    /// @dev Anyone may deposit for any account: the account id is only a routing label for the off-chain ledger.
    function deposit(bytes32 account, uint256 amount) external {
        if (account == bytes32(0)) revert ZeroAccount();
        if (amount == 0) revert ZeroAmount();
        token.safeTransferFrom(msg.sender, address(this), amount);
        emit Deposited(account, msg.sender, amount);
    }

    /// @notice Gasless deposit: pulls `amount` tokens from `owner`, who signed an ERC-2612 permit for exactly
    ///         `amount` to this vault with `deadline`, and credits marketplace `account`. The settler relays it and
    ///         pays the gas; `owner` needs no ETH. Emits the same `Deposited(account, owner, amount)` as deposit().
    /// @dev Only the settler may call it. Relaying by anyone would not be safe: the permit binds owner, spender,
    ///      value, nonce and deadline but not `account`, so whoever saw the signature (in the mempool, say) could
    ///      submit it first with their own account and be credited with the owner's tokens. The settler names the
    ///      account the owner asked for off-chain.
    ///
    ///      Front-running the permit itself (someone calls token.permit with the same signature first) only spends
    ///      the nonce and sets the allowance this call needs, so it must not block the deposit (OpenZeppelin's
    ///      IERC20Permit note): the permit is tried, and when it fails the deposit still proceeds if this very
    ///      signature is valid for the owner's last used nonce (so the owner did sign this permit and it was
    ///      consumed) and the allowance covers `amount`. Checking the signature, not only the allowance, keeps a
    ///      bogus signature from spending an allowance the owner gave for a plain deposit(). Otherwise the token's
    ///      own error is re-raised: ERC2612ExpiredSignature(deadline), ERC2612InvalidSigner(signer, owner) (also for
    ///      a replayed, already used permit), ECDSAInvalidSignature…
    /// @param owner The permit's signer and the tokens' holder (not msg.sender, which is the relayer).
    /// @param v The signature's recovery id (27 or 28); r and s its other two halves.
    function depositWithPermit(
        bytes32 account,
        address owner,
        uint256 amount,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external onlyRole(SETTLER_ROLE) {
        if (account == bytes32(0)) revert ZeroAccount();
        if (amount == 0) revert ZeroAmount();
        try IERC20Permit(address(token)).permit(owner, address(this), amount, deadline, v, r, s) {}
        catch (bytes memory reason) {
            if (!_isUsedPermit(owner, amount, deadline, v, r, s) || token.allowance(owner, address(this)) < amount) {
                assembly ("memory-safe") {
                    revert(add(reason, 0x20), mload(reason))
                }
            }
        }
        token.safeTransferFrom(owner, address(this), amount);
        emit Deposited(account, owner, amount);
    }

    /// @notice Pays `amounts[i]` tokens to `recipients[i]` for every i, once per `batchId`.
    /// @dev The batch is marked paid before any transfer (checks-effects-interactions). Any failing transfer
    ///      (e.g. ERC20InsufficientBalance, ERC20InvalidReceiver for address 0) reverts the whole batch, which
    ///      then stays unpaid and can be retried or returned off-chain.
    function payout(bytes32 batchId, address[] calldata recipients, uint256[] calldata amounts)
        external
        onlyRole(SETTLER_ROLE)
    {
        if (_paidBatches[batchId]) revert BatchAlreadyPaid(batchId);
        uint256 count = recipients.length;
        if (count != amounts.length) revert LengthMismatch();
        if (count == 0) revert EmptyBatch();
        _paidBatches[batchId] = true;

        uint256 total = 0;
        for (uint256 i = 0; i < count; ++i) {
            total += amounts[i];
            token.safeTransfer(recipients[i], amounts[i]);
            emit Payout(batchId, recipients[i], amounts[i]);
        }
        emit PayoutBatch(batchId, count, total);
    }

    /// @notice Burns `amount` of the fee tokens the vault holds, once per `batchId`.
    /// @dev Burning (rather than sending fees to a treasury) is the token's fee policy; the once-per-batch guard
    ///      makes a re-broadcast harmless here too.
    function burnFees(bytes32 batchId, uint256 amount) external onlyRole(SETTLER_ROLE) {
        if (_burnedBatches[batchId]) revert FeesAlreadyBurned(batchId);
        if (amount == 0) revert ZeroAmount();
        _burnedBatches[batchId] = true;
        ERC20Burnable(address(token)).burn(amount);
        emit FeesBurned(batchId, amount);
    }

    /// @dev True when (v, r, s) is `owner`'s signature of Permit(owner, this vault, value, nonces(owner) - 1,
    ///      deadline) in the token's domain: the owner signed this permit and its nonce has been spent.
    function _isUsedPermit(address owner, uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s)
        private
        view
        returns (bool)
    {
        IERC20Permit permitToken = IERC20Permit(address(token));
        uint256 nextNonce = permitToken.nonces(owner);
        if (nextNonce == 0) return false;
        bytes32 structHash = keccak256(abi.encode(PERMIT_TYPEHASH, owner, address(this), value, nextNonce - 1, deadline));
        bytes32 digest = MessageHashUtils.toTypedDataHash(permitToken.DOMAIN_SEPARATOR(), structHash);
        (address signer, ECDSA.RecoverError error,) = ECDSA.tryRecover(digest, v, r, s);
        return error == ECDSA.RecoverError.NoError && signer == owner;
    }

    /// @notice Whether payout() already ran for `batchId`: the settlement worker checks it before re-broadcasting.
    function isBatchPaid(bytes32 batchId) external view returns (bool) {
        return _paidBatches[batchId];
    }

    /// @notice Whether burnFees() already ran for `batchId`.
    function isFeesBurned(bytes32 batchId) external view returns (bool) {
        return _burnedBatches[batchId];
    }
}
