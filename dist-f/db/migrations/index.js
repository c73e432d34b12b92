import * as foundation from './001-foundation.js';
import * as relay from './002-relay.js';
import * as privacy from './003-privacy.js';
import * as accountSecurity from './004-account-security.js';
import * as queueIndexes from './005-queue-indexes.js';
import * as deviceCursors from './006-device-cursors.js';
import * as ciphertextBytes from './007-ciphertext-bytes.js';
/**
 * Every migration, in order. A static map rather than a folder scan: discovery by file name breaks
 * under TypeScript/ESM builds. Migrations are forward-only; add a new one, never edit a landed one.
 */
export const migrations = {
    '001-foundation': foundation,
    '002-relay': relay,
    '003-privacy': privacy,
    '004-account-security': accountSecurity,
    '005-queue-indexes': queueIndexes,
    '006-device-cursors': deviceCursors,
    '007-ciphertext-bytes': ciphertextBytes
};
//# sourceMappingURL=index.js.map