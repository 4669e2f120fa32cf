using DepinMarket.Api.Features.Accounts;

namespace DepinMarket.Api.Features.WalletAuth;

/// <param name="Address">The wallet to prove: 0x + 40 hex digits (EIP-55 checksum when mixed case).</param>
public sealed record ChallengeRequest(string Address);

/// <param name="Message">Sign exactly this text with personal_sign (EIP-191).</param>
public sealed record ChallengeResponse(string Message, string Nonce, DateTimeOffset ExpiresAt);

/// <param name="Message">The message from /v1/auth/challenge, unchanged.</param>
/// <param name="Signature">The 65-byte personal_sign signature, 0x-prefixed hex.</param>
public sealed record VerifyRequest(string Message, string Signature);

/// <param name="ApiKey">Present when the call signed in by wallet (no API key sent): a new key for that account, shown once.</param>
public sealed record VerifyResponse(AccountResponse Account, CreatedApiKeyResponse? ApiKey);
