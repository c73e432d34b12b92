import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'

/**
 * The one table of error codes the API answers with. A code is never reused for another meaning;
 * clients may switch on it. WebSocket error frames use the same codes.
 */
export const ERRORS = {
  bad_request: { status: 400, message: 'The request is malformed' },
  invalid_json: { status: 400, message: 'The body is not valid JSON' },
  validation_failed: { status: 400, message: 'The request does not match its schema' },
  weak_password: { status: 400, message: 'The password does not meet the policy' },
  invalid_public_key: { status: 400, message: 'The public key must be 32 bytes of base64' },
  invalid_signing_key: { status: 400, message: 'The signing key must be an Ed25519 public key of 32 bytes, base64' },
  refresh_disabled: { status: 400, message: 'This server issues no refresh tokens (single-token mode)' },
  invalid_frame: { status: 400, message: 'The frame is malformed' },
  stale: { status: 400, message: 'The timestamp is outside the accepted window' },
  unauthorized: { status: 401, message: 'Authentication required' },
  auth_timeout: { status: 401, message: 'No authentication frame in time' },
  invalid_token: { status: 401, message: 'The token is invalid' },
  token_expired: { status: 401, message: 'The token has expired' },
  session_revoked: { status: 401, message: 'The session has ended' },
  invalid_credentials: { status: 401, message: 'Invalid username or password' },
  totp_required: { status: 401, message: 'A two-factor code is required' },
  totp_invalid: { status: 401, message: 'The two-factor code is wrong, expired or already used' },
  challenge_invalid: { status: 401, message: 'The challenge is unknown, used, expired or not for this user' },
  invalid_refresh_token: { status: 401, message: 'The refresh token is invalid or expired' },
  refresh_token_reused: { status: 401, message: 'The refresh token was already used; the session has been ended' },
  forbidden: { status: 403, message: 'Not allowed' },
  not_found: { status: 404, message: 'Not found' },
  route_not_found: { status: 404, message: 'No such route' },
  unknown_recipient: { status: 404, message: 'No such recipient' },
  username_taken: { status: 409, message: 'The username is taken' },
  replay: { status: 409, message: 'This nonce was already used by this sender' },
  two_factor_already_enabled: { status: 409, message: 'Two-factor authentication is already on' },
  two_factor_not_enabled: { status: 409, message: 'Two-factor authentication is off' },
  two_factor_not_set_up: { status: 409, message: 'Start two-factor setup first' },
  payload_too_large: { status: 413, message: 'The body is too large' },
  uri_too_long: { status: 414, message: 'A path parameter is too long' },
  unsupported_media_type: { status: 415, message: 'The content type is not supported' },
  account_locked: { status: 423, message: 'The account is locked after too many failed logins' },
  rate_limited: { status: 429, message: 'Too many requests' },
  internal_error: { status: 500, message: 'Internal server error' },
  unavailable: { status: 503, message: 'Service unavailable' }
} as const satisfies Record<string, { status: number, message: string }>

export type ErrorCode = keyof typeof ERRORS

/** An error the API reports as it is: its code, status and (client-safe) message. */
export class AppError extends Error {
  readonly statusCode: number
  readonly headers: Record<string, string>
  constructor (readonly code: ErrorCode, message?: string, headers: Record<string, string> = {}) {
    super(message ?? ERRORS[code].message)
    this.statusCode = ERRORS[code].status
    this.headers = headers
  }
}

/** The wire shape of every error reply. */
export function errorBody (code: ErrorCode, message: string) {
  const statusCode = ERRORS[code].status
  return { statusCode, code, error: httpReason(statusCode), message }
}

const REASONS: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict',
  413: 'Payload Too Large', 414: 'URI Too Long', 415: 'Unsupported Media Type', 423: 'Locked',
  429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable'
}
function httpReason (status: number): string {
  return REASONS[status] ?? 'Error'
}

/** Fastify's own client errors, mapped to our codes (the rest of FST_* 4xx become bad_request). */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_MAX_PARAM_LENGTH: 'uri_too_long',
  FST_ERR_VALIDATION: 'validation_failed'
}

function classify (error: FastifyError | AppError): { code: ErrorCode, message: string } {
  if (error instanceof AppError) return { code: error.code, message: error.message }
  if (error.validation !== undefined) return { code: 'validation_failed', message: error.message }
  const mapped = error.code !== undefined ? FASTIFY_CODES[error.code] : undefined
  // The router's message would echo the whole path back.
  if (mapped === 'uri_too_long') return { code: mapped, message: ERRORS.uri_too_long.message }
  if (mapped !== undefined) return { code: mapped, message: error.message }
  if (error.statusCode === 429) return { code: 'rate_limited', message: error.message }
  const status = error.statusCode ?? 500
  if (status >= 400 && status < 500) return { code: 'bad_request', message: error.message }
  return { code: 'internal_error', message: ERRORS.internal_error.message }
}

/** The kernel's error handler: one shape for everything, 5xx details only in the log. */
export function handleError (error: FastifyError | AppError, request: FastifyRequest, reply: FastifyReply) {
  const { code, message } = classify(error)
  const body = errorBody(code, message)
  if (body.statusCode >= 500) request.log.error({ err: error }, 'request failed')
  if (error instanceof AppError) reply.headers(error.headers)
  return reply.code(body.statusCode).send(body)
}

/** The kernel's 404 handler. */
export function handleNotFound (request: FastifyRequest, reply: FastifyReply) {
  return reply.code(404).send(errorBody('route_not_found', `No route ${request.method} ${request.url.split('?')[0]}`))
}
