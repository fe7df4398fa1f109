import { isUtf8 } from "node:buffer";
import { createHash } from "node:crypto";
import type { PartnerBookReadProgress } from "./partner-book-format";

export class PartnerBookTooLargeError extends Error {
  constructor(
    readonly bytesRead: number,
    readonly maxBytes: number,
  ) {
    super(`the partner book file is larger than ${maxBytes} bytes`);
    this.name = "PartnerBookTooLargeError";
  }
}

export interface ByteMeterOptions {
  maxBytes: number;
  totalBytes: number | null;
  onProgress: ((progress: PartnerBookReadProgress) => void) | undefined;
}

const CR = 0x0d;
const LF = 0x0a;

/**
 * Sees every byte of the file once, before the CSV parser does: counts and hashes them, enforces
 * the size limit, reports progress, and notes the lines that hold bytes that are not UTF-8
 * (the parser's decoder would silently turn those into U+FFFD). A line break is CRLF, LF or CR,
 * each counted once, as an editor counts them.
 */
export class ByteMeter {
  bytesRead = 0;
  private readonly hash = createHash("sha256");
  private lineBreaks = 0;
  private endsWithCR = false;
  /** The start of a UTF-8 sequence cut by the chunk boundary. */
  private carry: Buffer | null = null;
  private readonly invalidLines: number[] = [];
  private lastInvalidLine = 0;

  constructor(private readonly options: ByteMeterOptions) {}

  take(chunk: Uint8Array): Buffer {
    if (!(chunk instanceof Uint8Array)) throw new TypeError("a partner book source must yield bytes, not text");
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.bytesRead += bytes.length;
    if (this.bytesRead > this.options.maxBytes)
      throw new PartnerBookTooLargeError(this.bytesRead, this.options.maxBytes);
    this.hash.update(bytes);
    this.checkUtf8(bytes);
    this.countLineBreaks(bytes);
    this.options.onProgress?.({ bytesRead: this.bytesRead, totalBytes: this.options.totalBytes });
    return bytes;
  }

  /** Call once the source is exhausted: a sequence still open at the end is not UTF-8. */
  finish(): void {
    if (this.carry) this.noteInvalid(this.lineBreaks + 1);
    this.carry = null;
  }

  sha256(): string {
    return this.hash.digest("hex");
  }

  /** Removes and returns the noted lines up to `line`, in order. */
  takeInvalidLines(upTo = Number.POSITIVE_INFINITY): number[] {
    let count = 0;
    while (count < this.invalidLines.length && (this.invalidLines[count] ?? 0) <= upTo) count += 1;
    return this.invalidLines.splice(0, count);
  }

  private checkUtf8(bytes: Buffer): void {
    const data = this.carry ? Buffer.concat([this.carry, bytes]) : bytes;
    const cut = completeLength(data);
    this.carry = cut === data.length ? null : Buffer.from(data.subarray(cut));
    const complete = data.subarray(0, cut);
    if (!isUtf8(complete)) this.noteInvalidLines(complete);
  }

  /** The rare path: split the chunk into lines and find the ones that are not UTF-8. */
  private noteInvalidLines(data: Buffer): void {
    let line = this.lineBreaks + 1;
    let start = 0;
    let afterCR = this.endsWithCR;
    for (let i = 0; i <= data.length; i += 1) {
      const byte = i < data.length ? data[i] : undefined;
      if (byte === LF && afterCR && i === start) {
        start = i + 1;
        afterCR = false;
        continue;
      }
      if (byte !== LF && byte !== CR && byte !== undefined) continue;
      if (i > start && !isUtf8(data.subarray(start, i))) this.noteInvalid(line);
      line += 1;
      start = i + 1;
      afterCR = byte === CR;
    }
  }

  private noteInvalid(line: number): void {
    if (line === this.lastInvalidLine) return;
    this.lastInvalidLine = line;
    this.invalidLines.push(line);
  }

  private countLineBreaks(bytes: Buffer): void {
    let breaks = 0;
    for (let i = bytes.indexOf(CR); i !== -1; i = bytes.indexOf(CR, i + 1)) breaks += 1;
    for (let i = bytes.indexOf(LF); i !== -1; i = bytes.indexOf(LF, i + 1)) {
      const previous = i > 0 ? bytes[i - 1] : this.endsWithCR ? CR : undefined;
      if (previous !== CR) breaks += 1;
    }
    this.lineBreaks += breaks;
    if (bytes.length > 0) this.endsWithCR = bytes[bytes.length - 1] === CR;
  }
}

/** The length of `data` without a trailing UTF-8 sequence that the next chunk may complete. */
function completeLength(data: Buffer): number {
  const end = data.length;
  for (let i = end - 1; i >= 0 && i >= end - 3; i -= 1) {
    const byte = data[i] ?? 0;
    if (byte < 0x80) return end;
    if (byte >= 0xc0) {
      const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
      return i + length > end ? i : end;
    }
  }
  return end;
}
