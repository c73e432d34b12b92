import health from './health.js';
import accounts from './accounts.js';
import users from './users.js';
import tokens from './tokens.js';
import keyLogin from './key-login.js';
import twoFactor from './two-factor.js';
import sessions from './sessions.js';
import credentials from './credentials.js';
import me from './me.js';
/** Every REST route module and where it is mounted. */
const routes = async (app) => {
    await app.register(health);
    await app.register(accounts, { prefix: '/api' });
    await app.register(users, { prefix: '/api' });
    await app.register(tokens, { prefix: '/api' });
    await app.register(keyLogin, { prefix: '/api' });
    await app.register(twoFactor, { prefix: '/api' });
    await app.register(sessions, { prefix: '/api' });
    await app.register(credentials, { prefix: '/api' });
    await app.register(me, { prefix: '/api' });
};
export default routes;
//# sourceMappingURL=index.js.map