import { COMMON_PASSWORDS } from './common-passwords.js';
export const MIN_PASSWORD_LENGTH = 10;
const common = new Set(COMMON_PASSWORDS.map((p) => p.toLowerCase()));
/** Why `password` is refused for `username`, or null when it is acceptable. */
export function passwordProblem(password, username) {
    if ([...password].length < MIN_PASSWORD_LENGTH)
        return `password must be at least ${MIN_PASSWORD_LENGTH} characters`;
    const lower = password.toLowerCase();
    if (common.has(lower))
        return 'password is one of the most common passwords; choose another';
    if (lower.includes(username.toLowerCase()))
        return 'password must not contain the username';
    if (new Set(password).size < 4)
        return 'password must not repeat so few characters';
    return null;
}
//# sourceMappingURL=password-policy.js.map