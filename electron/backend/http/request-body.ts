import type { IncomingMessage } from 'node:http';

/**
 * The one reader of request bodies for the app's two node:http servers (the mock SCIM server and the
 * browser-mode bridge). A body over the limit is still read to its end, up to a drain bound, before the
 * caller answers 413: a server that answers and closes while the client is still uploading makes the
 * client's socket fail (EPIPE / ECONNRESET) before it reads the refusal.
 */
interface BodyLimits {
  /** bodies above this many bytes are refused */
  maxBytes: number;
  /** an oversized upload is read and discarded up to this many bytes so the 413 reaches the client */
  drainBytes?: number;
}

/** 64 MiB of loopback upload is read in well under a second; beyond that the connection is cut. */
const DEFAULT_DRAIN_BYTES = 64 * 1024 * 1024;

export class BodyTooLargeError extends Error {
  constructor(
    readonly maxBytes: number,
    /** false when the upload went past the drain bound: the connection must be closed after the 413 */
    readonly drained: boolean,
  ) {
    super(`the request body exceeds ${maxBytes} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/** The client went away (or the socket failed) before the body was complete; there is no one to answer. */
export class BodyAbortedError extends Error {
  constructor(cause: unknown) {
    super('the client closed the connection before the request body was complete', { cause });
    this.name = 'BodyAbortedError';
  }
}

/**
 * Reads the whole body. Rejects with BodyTooLargeError once the upload is over `maxBytes` and has been
 * drained (or the drain bound was reached), and with BodyAbortedError when the client aborts.
 */
export function readRequestBody(req: IncomingMessage, limits: BodyLimits): Promise<Buffer> {
  const { maxBytes } = limits;
  const drainBytes = Math.max(limits.drainBytes ?? DEFAULT_DRAIN_BYTES, maxBytes);
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
      outcome();
    };
    const tooLarge = (drained: boolean) => settle(() => {
      // keep discarding whatever still arrives, so the socket is never closed with unread data in it
      if (!drained) req.resume();
      reject(new BodyTooLargeError(maxBytes, drained));
    });
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > drainBytes) return tooLarge(false);
      if (size > maxBytes) {
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      if (size > maxBytes) tooLarge(true);
      else settle(() => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    };
    const onError = (error: Error) => settle(() => reject(new BodyAbortedError(error)));
    // 'close' before 'end' means the client went away mid-upload
    const onClose = () => settle(() => reject(new BodyAbortedError(undefined)));

    // A declared length past the drain bound is refused at once; one within it is drained like any other.
    const declared = Number(req.headers['content-length'] ?? 0);
    if (Number.isFinite(declared) && declared > drainBytes) return tooLarge(false);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}
