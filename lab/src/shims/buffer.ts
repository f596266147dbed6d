/**
 * The one part of Node's Buffer the library relies on when reading files: `bytes.toString('utf8')`
 * (structure/io/read.ts decodes what core/files.ts returns). A Uint8Array with that method.
 */
const dec = new TextDecoder('utf-8');

export class ShimBuffer extends Uint8Array {
  override toString(encoding?: string): string {
    if (encoding === undefined || /^utf-?8$/i.test(encoding)) return dec.decode(this);
    if (encoding === 'latin1' || encoding === 'binary') return String.fromCharCode(...this);
    throw new Error(`Buffer.toString('${encoding}') is not available in the browser lab`);
  }
}
