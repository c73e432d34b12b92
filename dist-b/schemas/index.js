import { ErrorResponse } from './common.js';
import { UserRef, UserSettings } from './accounts.js';
/**
 * The named shared schemas, added once at boot so routes (through `Type.Ref`) and the OpenAPI
 * document refer to them by their `$id`. A schema with an `$id` that is not listed here fails
 * route compilation, which keeps the list complete.
 */
export const sharedSchemas = [ErrorResponse, UserRef, UserSettings];
//# sourceMappingURL=index.js.map