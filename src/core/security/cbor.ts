// A minimal CBOR decoder (RFC 8949) for WebAuthn attestation objects and COSE keys: unsigned and negative
// integers, byte and text strings, arrays and maps, definite lengths only. Anything else is refused.

export type CborValue =
  number | Uint8Array | string | CborValue[] | Map<CborValue, CborValue> | boolean | null;

export class CborError extends Error {}

export function decodeCbor(bytes: Uint8Array): { value: CborValue; length: number } {
  let pos = 0;
  const need = (n: number) => {
    if (pos + n > bytes.length) throw new CborError('CBOR data ends early');
  };
  const readLength = (info: number): number => {
    if (info < 24) return info;
    const size = info === 24 ? 1 : info === 25 ? 2 : info === 26 ? 4 : info === 27 ? 8 : 0;
    if (!size) throw new CborError(`Unsupported CBOR length encoding ${info}`);
    need(size);
    let n = 0;
    for (let i = 0; i < size; i++) n = n * 256 + bytes[pos++]!;
    if (!Number.isSafeInteger(n)) throw new CborError('CBOR length too large');
    return n;
  };
  const item = (depth: number): CborValue => {
    if (depth > 16) throw new CborError('CBOR nested too deeply');
    need(1);
    const initial = bytes[pos++]!;
    const major = initial >> 5;
    const info = initial & 31;
    switch (major) {
      case 0:
        return readLength(info);
      case 1:
        return -1 - readLength(info);
      case 2: {
        const n = readLength(info);
        need(n);
        const out = bytes.slice(pos, pos + n);
        pos += n;
        return out;
      }
      case 3: {
        const n = readLength(info);
        need(n);
        const out = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(pos, pos + n));
        pos += n;
        return out;
      }
      case 4: {
        const n = readLength(info);
        const out: CborValue[] = [];
        for (let i = 0; i < n; i++) out.push(item(depth + 1));
        return out;
      }
      case 5: {
        const n = readLength(info);
        const out = new Map<CborValue, CborValue>();
        for (let i = 0; i < n; i++) {
          const k = item(depth + 1);
          out.set(k, item(depth + 1));
        }
        return out;
      }
      case 7:
        if (info === 20) return false;
        if (info === 21) return true;
        if (info === 22) return null;
        throw new CborError(`Unsupported CBOR simple value ${info}`);
      default:
        throw new CborError(`Unsupported CBOR major type ${major}`);
    }
  };
  const value = item(0);
  return { value, length: pos };
}
