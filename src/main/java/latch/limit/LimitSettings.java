package latch.limit;

/**
 * The limits on everything that mints a credential, each "at most N per window" and set by a {@code LIMIT_*}
 * variable written {@code N/seconds} (README, configuration). Password sign-in keeps its own variables
 * (LOGIN_MAX_ATTEMPTS_PER_IP, LOGIN_WINDOW_SECONDS) and netplay its SFU_MINT_PER_MINUTE.
 *
 * @param tokenPerClient          every {@code POST /api/token}, per client
 * @param refreshPerUser          session refreshes and refresh grants, per account
 * @param clientTokensPerUser     client-token creations and new secrets, per account
 * @param clientTokensPerClient   the same, per client
 * @param deviceInitPerClient     device sign-in starts, per client
 * @param pairingExchangePerClient pairing-code exchanges, per client
 * @param wrongCodesPerClient     wrong pairing and device codes, per client (failures only)
 * @param registerPerClient       invite uses (registration), per client
 * @param linkGuessesPerClient    wrong or spent reset and sign-in links, and dead invitation links checked, per client
 *                                (failures only)
 * @param resetLinksPerUser       reset links an admin creates, per admin
 * @param forgotPasswordPerClient "forgot password" requests, per client
 * @param resetMailPerAccount     reset mails to one account (silently dropped past it)
 */
public record LimitSettings(
        LimitPolicy tokenPerClient,
        LimitPolicy refreshPerUser,
        LimitPolicy clientTokensPerUser,
        LimitPolicy clientTokensPerClient,
        LimitPolicy deviceInitPerClient,
        LimitPolicy pairingExchangePerClient,
        LimitPolicy wrongCodesPerClient,
        LimitPolicy registerPerClient,
        LimitPolicy linkGuessesPerClient,
        LimitPolicy resetLinksPerUser,
        LimitPolicy forgotPasswordPerClient,
        LimitPolicy resetMailPerAccount) {}
