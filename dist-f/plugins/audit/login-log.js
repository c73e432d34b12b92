/**
 * The one log line a failed password login writes, for fail2ban (deploy/fail2ban/): a fixed
 * prefix, the client address and the reason, inside the JSON line pino writes. Its shape is a
 * contract with the shipped filter: change both together.
 */
export const LOGIN_FAILED_PREFIX = 'quietwire-auth: login failed from';
export function loginFailedMessage(ip, reason) {
    return `${LOGIN_FAILED_PREFIX} ${ip} (${reason})`;
}
//# sourceMappingURL=login-log.js.map