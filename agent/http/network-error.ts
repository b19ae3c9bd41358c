/**
 * Why a request never got an answer, in words a person can act on, and whether the request
 * could have reached the server at all. A refused connection or an unknown host means it did
 * not; a reset or a timeout after sending means it may have.
 */
export interface NetworkFailureCause {
  reason: string;
  mayHaveReachedServer: boolean;
}

const NOT_SENT: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'name lookup failed (DNS)',
  EAI_NODATA: 'host not found',
  EAI_NONAME: 'host not found',
  ENETUNREACH: 'network unreachable',
  EHOSTUNREACH: 'host unreachable',
  EHOSTDOWN: 'host is down',
  ENONET: 'not connected to a network',
  EADDRNOTAVAIL: 'address not available',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
};

const TLS: Record<string, string> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its TLS certificate is not trusted',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its TLS certificate is not trusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'its TLS certificate is self-signed',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its TLS certificate is self-signed',
  CERT_HAS_EXPIRED: 'its TLS certificate has expired',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its TLS certificate is for another name',
  EPROTO: 'TLS handshake failed (is it plain HTTP?)',
  ERR_SSL_WRONG_VERSION_NUMBER: 'TLS handshake failed (is it plain HTTP?)',
};

const MAYBE_SENT: Record<string, string> = {
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed',
  ETIMEDOUT: 'timed out',
  UND_ERR_SOCKET: 'connection closed',
  UND_ERR_HEADERS_TIMEOUT: 'timed out waiting for an answer',
  UND_ERR_BODY_TIMEOUT: 'timed out reading the answer',
};

export function describeNetworkFailure(error: unknown): NetworkFailureCause {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return { reason: 'timed out waiting for an answer', mayHaveReachedServer: true };
  }
  const code = errorCode(error);
  if (code !== undefined) {
    const notSent = NOT_SENT[code] ?? TLS[code];
    if (notSent) return { reason: notSent, mayHaveReachedServer: false };
    const maybe = MAYBE_SENT[code];
    if (maybe) return { reason: maybe, mayHaveReachedServer: true };
    return { reason: code.toLowerCase().replaceAll('_', ' '), mayHaveReachedServer: true };
  }
  const message = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
  return { reason: message || 'network error', mayHaveReachedServer: true };
}

/** fetch wraps the socket error in `cause`; happy-eyeballs wraps several in an AggregateError. */
function errorCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'ERR_INVALID_STATE') return code;
    const nested = (current as { errors?: unknown[] }).errors?.[0];
    current = (current as { cause?: unknown }).cause ?? nested;
  }
  return undefined;
}
