// Bytes as lowercase hexadecimal (hashes, random tokens).

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
