/**
 * Reading a large JSON export without holding it: a byte-level walker that follows the document's
 * nesting and hands over (a) each top-level field that is not on the way to the readings, parsed,
 * and (b) each element of the arrays named by `itemPaths` (e.g. `results[]`, or
 * `devices[].values[]`), parsed one at a time with the file offset just after it. Memory stays at
 * one element, whatever the file size.
 */

/** A path through the document: keys, with '#' for "an element of an array". */
export type JsonPath = string[];

interface Frame {
  obj: boolean;
  /** This frame's part of the path: the key being read (objects) or '#' (arrays). */
  key: string;
  expectKey: boolean;
}

const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

export class JsonWalker {
  private readonly stack: Frame[] = [];
  private inString = false;
  private escaped = false;
  /** The bytes of a key being read. */
  private keyBytes: number[] | null = null;
  /** A value being captured: its pieces so far, the depth it lives at, what it is. */
  private capture: Buffer[] | null = null;
  private captureDepth = -1;
  private captureItem = false;
  private capturePath = -1;
  private captureKey = '';
  /** Where the capture's bytes start in the buffer being fed (-1: not capturing). */
  private seg = -1;
  /** The captured value is a string, or a number or literal (ended by the next delimiter). */
  private captureString = false;
  private captureScalar = false;
  private started = false;
  /** Items handed over so far. */
  items = 0;
  /** Every top-level key seen (the arrays on the way to items too). */
  readonly topKeys = new Set<string>();

  constructor(
    private readonly itemPaths: JsonPath[],
    private readonly onItem: (value: unknown, index: number, endOffset: number, path: number) => void,
    private readonly onTop: (key: string, value: unknown) => void,
  ) {}

  /** The item path `path` is (full), or is on the way to (not full): its index, or -1. */
  private matches(path: string[], full: boolean): number {
    return this.itemPaths.findIndex(
      (p) => (full ? p.length === path.length : p.length > path.length) && path.every((k, i) => p[i] === k),
    );
  }

  /** Feeds buf[a, b), whose first byte is at file offset `base`. */
  feed(buf: Buffer, a: number, b: number, base: number): void {
    this.seg = this.capture ? a : -1;
    for (let i = a; i < b; i++) {
      const c = buf[i]!;
      if (this.inString) {
        if (this.keyBytes) this.keyBytes.push(c);
        if (this.escaped) this.escaped = false;
        else if (c === 0x5c) this.escaped = true;
        else if (c === 0x22) {
          this.inString = false;
          if (this.keyBytes) {
            const top = this.stack[this.stack.length - 1]!;
            top.key = JSON.parse(Buffer.from(this.keyBytes).toString('utf8')) as string;
            top.expectKey = false;
            if (this.stack.length === 1) this.topKeys.add(top.key);
            this.keyBytes = null;
          } else if (this.captureString && this.stack.length === this.captureDepth) {
            this.captureString = false;
            this.finish(buf, i + 1, base);
          }
        }
        continue;
      }
      if (this.captureScalar) {
        if (c !== 0x2c && c !== 0x7d && c !== 0x5d && !isSpace(c)) continue;
        this.captureScalar = false;
        this.finish(buf, i, base);
      }
      if (isSpace(c) || c === 0x3a) continue;
      const top = this.stack[this.stack.length - 1];
      if (c === 0x2c) {
        if (top?.obj) top.expectKey = true;
        continue;
      }
      if (c === 0x7d || c === 0x5d) {
        this.stack.pop();
        if (this.capture && this.stack.length === this.captureDepth) this.finish(buf, i + 1, base);
        continue;
      }
      if (top?.obj && top.expectKey) {
        if (c !== 0x22)
          throw new SyntaxError(`unexpected "${String.fromCharCode(c)}" at byte ${base + i}, where a key was expected`);
        this.inString = true;
        this.keyBytes = [c];
        continue;
      }
      // a value starts here
      if (!this.started) {
        this.started = true;
        if (c !== 0x7b) throw new SyntaxError('the document is not a JSON object');
      } else if (!this.capture) {
        const path = this.stack.map((f) => f.key);
        const item = this.matches(path, true);
        if (item >= 0 || (this.stack.length === 1 && this.matches(path, false) < 0)) {
          this.capture = [];
          this.seg = i;
          this.captureDepth = this.stack.length;
          this.captureItem = item >= 0;
          this.capturePath = item;
          this.captureKey = path[0]!;
        }
      }
      if (c === 0x7b || c === 0x5b)
        this.stack.push({ obj: c === 0x7b, key: c === 0x7b ? '' : '#', expectKey: c === 0x7b });
      else if (c === 0x22) {
        this.inString = true;
        if (this.capture && this.stack.length === this.captureDepth) this.captureString = true;
      } else if (this.capture && this.stack.length === this.captureDepth) this.captureScalar = true;
    }
    if (this.capture && this.seg >= 0) this.capture.push(Buffer.from(buf.subarray(this.seg, b)));
  }

  /** The end of the input: a number or literal captured at the very end is complete. */
  end(buf: Buffer, base: number): void {
    if (this.captureScalar) {
      this.captureScalar = false;
      this.seg = -1;
      this.finish(buf, 0, base);
    }
    if (this.inString || this.stack.length > 0 || !this.started)
      throw new SyntaxError('the JSON document ends before it is complete');
  }

  /** Ends the capture at buf[end): parses it and hands it over. */
  private finish(buf: Buffer, end: number, base: number): void {
    const parts = this.capture!;
    if (this.seg >= 0) parts.push(buf.subarray(this.seg, end));
    this.capture = null;
    this.seg = -1;
    const value: unknown = JSON.parse(Buffer.concat(parts).toString('utf8'));
    if (this.captureItem) this.onItem(value, this.items++, base + end, this.capturePath);
    else this.onTop(this.captureKey, value);
  }
}

/**
 * A file's text as UTF-8 pieces of up to 1 MB (UTF-16 files re-encoded), from after its byte-order
 * mark. Each piece is only valid until the next is asked for (one buffer is reused).
 */
export async function* utf8Pieces(
  file: string,
  encoding: 'utf8' | 'utf16le',
  bomBytes: number,
): AsyncGenerator<Buffer> {
  const fs = await import('node:fs');
  const fh = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    const decoder = encoding === 'utf16le' ? new TextDecoder('utf-16le') : null;
    for (let pos = bomBytes; ;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
      if (bytesRead === 0) return;
      pos += bytesRead;
      yield decoder
        ? Buffer.from(decoder.decode(buf.subarray(0, bytesRead), { stream: true }), 'utf8')
        : buf.subarray(0, bytesRead);
    }
  } finally {
    await fh.close();
  }
}

/** Feeds a whole file through a walker, 1 MB at a time (UTF-16 files as UTF-8); `after` runs after each piece. */
export async function walkFile(
  file: string,
  encoding: 'utf8' | 'utf16le',
  bomBytes: number,
  walker: JsonWalker,
  after: () => void | Promise<void> = () => undefined,
): Promise<void> {
  let offset = 0; // UTF-8 offset of what is fed
  for await (const piece of utf8Pieces(file, encoding, bomBytes)) {
    walker.feed(piece, 0, piece.length, offset);
    offset += piece.length;
    await after();
  }
  walker.end(Buffer.alloc(0), offset);
}
