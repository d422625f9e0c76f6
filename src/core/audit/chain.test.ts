import { beforeAll, describe, expect, it } from 'vitest';
import {
  ChainHasher,
  CHECKPOINT_EVERY,
  signCheckpoint,
  verifyChain,
  type ChainLink,
  type Checkpoint,
  type VerifyInput,
} from './chain';

const DEVICE = '01JDEVICE0000000000000000X';
let hasher: ChainHasher;
let keys: CryptoKeyPair;

beforeAll(async () => {
  hasher = await ChainHasher.create();
  keys = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
});

/** A log of n entries as the store writes it: links, periodic checkpoints and a signed head. */
async function buildLog(
  n: number,
): Promise<{ links: ChainLink[]; checkpoints: Checkpoint[]; head: Checkpoint | null }> {
  const links: ChainLink[] = [];
  const checkpoints: Checkpoint[] = [];
  let prev: ChainLink | null = null;
  for (let i = 0; i < n; i++) {
    const link: ChainLink = hasher.next(
      prev,
      1_700_000_000_000 + i,
      new TextEncoder().encode(`sealed entry ${i}`),
    );
    links.push(link);
    if (link.seq % CHECKPOINT_EVERY === 0) {
      checkpoints.push(await signCheckpoint(keys.privateKey, DEVICE, link.seq, link.hash));
    }
    prev = link;
  }
  const head = prev ? await signCheckpoint(keys.privateKey, DEVICE, prev.seq, prev.hash) : null;
  return { links, checkpoints, head };
}

const input = (log: Awaited<ReturnType<typeof buildLog>>, extra: Partial<VerifyInput> = {}): VerifyInput => ({
  deviceId: DEVICE,
  publicKey: keys.publicKey,
  ...log,
  ...extra,
});

describe('access-log chain', () => {
  it('verifies an intact log and an empty one', async () => {
    const log = await buildLog(2500);
    const r = await verifyChain(hasher, input(log));
    expect(r).toMatchObject({ ok: true, count: 2500, firstSeq: 1, lastSeq: 2500 });
    expect(log.checkpoints.map((c) => c.seq)).toEqual([1000, 2000]);
    expect(await verifyChain(hasher, input({ links: [], checkpoints: [], head: null }))).toMatchObject({
      ok: true,
      count: 0,
    });
  });

  it('detects an edited entry body', async () => {
    const log = await buildLog(20);
    const bad = [...log.links];
    bad[7] = { ...bad[7]!, body: new TextEncoder().encode('sealed entry X') };
    expect(await verifyChain(hasher, input(log, { links: bad }))).toMatchObject({
      ok: false,
      problem: 'edited',
      seq: 8,
      checked: 7,
    });
  });

  it('detects an edited time even when the attacker recomputes that entry hash', async () => {
    const log = await buildLog(20);
    const bad = [...log.links];
    const l = bad[4]!;
    bad[4] = { ...l, at: l.at + 1, hash: hasher.linkHash(l.prevHash, l.seq, l.at + 1, l.body) };
    expect(await verifyChain(hasher, input(log, { links: bad }))).toMatchObject({
      ok: false,
      problem: 'broken-link',
      seq: 6,
    });
  });

  it('detects a removed entry as a gap', async () => {
    const log = await buildLog(20);
    const bad = log.links.filter((l) => l.seq !== 11);
    expect(await verifyChain(hasher, input(log, { links: bad }))).toMatchObject({
      ok: false,
      problem: 'gap',
      seq: 11,
    });
  });

  it('detects a removed entry even when later entries are renumbered and re-hashed without the key', async () => {
    const log = await buildLog(1200);
    // Drop entry 500 and rebuild the rest of the chain: the hashes are consistent, but the signed checkpoint and
    // head cannot be forged.
    const rebuilt: ChainLink[] = log.links.slice(0, 499);
    let prev: ChainLink = rebuilt[rebuilt.length - 1]!;
    for (const l of log.links.slice(500)) {
      prev = hasher.next(prev, l.at, l.body);
      rebuilt.push(prev);
    }
    const r = await verifyChain(hasher, input(log, { links: rebuilt }));
    expect(r).toMatchObject({ ok: false, problem: 'edited', seq: 1000 });
  });

  it('detects reordered entries', async () => {
    const log = await buildLog(20);
    const bad = [...log.links];
    [bad[3], bad[4]] = [bad[4]!, bad[3]!];
    expect(await verifyChain(hasher, input(log, { links: bad }))).toMatchObject({
      ok: false,
      problem: 'gap',
      seq: 4,
    });
    const swappedBodies = [...log.links];
    swappedBodies[3] = { ...log.links[3]!, body: log.links[4]!.body, hash: log.links[4]!.hash };
    expect(await verifyChain(hasher, input(log, { links: swappedBodies }))).toMatchObject({
      ok: false,
      seq: 4,
    });
  });

  it('detects truncation: entries cut off the end', async () => {
    const log = await buildLog(30);
    const r = await verifyChain(hasher, input(log, { links: log.links.slice(0, 25) }));
    expect(r).toMatchObject({ ok: false, problem: 'truncated', seq: 26 });
    const all = await buildLog(1005);
    const cut = await verifyChain(hasher, input(all, { links: all.links.slice(0, 900) }));
    expect(cut).toMatchObject({ ok: false, problem: 'truncated', seq: 1000 });
  });

  it('detects entries appended without the device key, and forged signatures', async () => {
    const log = await buildLog(10);
    const extra = hasher.next(log.links[9]!, 1, new Uint8Array([1]));
    expect(await verifyChain(hasher, input(log, { links: [...log.links, extra] }))).toMatchObject({
      ok: false,
      problem: 'unsigned-tail',
      seq: 11,
    });
    const other = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    const forgedHead = await signCheckpoint(other.privateKey, DEVICE, 11, extra.hash);
    expect(
      await verifyChain(hasher, input(log, { links: [...log.links, extra], head: forgedHead })),
    ).toMatchObject({
      ok: false,
      problem: 'bad-signature',
    });
    // A genuine signature from another device does not fit this device's log either.
    const elsewhere = await signCheckpoint(keys.privateKey, 'OTHER-DEVICE', 10, log.links[9]!.hash);
    expect(await verifyChain(hasher, input(log, { head: elsewhere }))).toMatchObject({
      problem: 'bad-signature',
    });
  });

  it('verifies a purged log from its signed anchor, and refuses a forged anchor', async () => {
    const log = await buildLog(2100);
    const kept = log.links.slice(1000); // entries 1..1000 purged
    const anchor = log.checkpoints.find((c) => c.seq === 1000)!;
    const checkpoints = log.checkpoints.filter((c) => c.seq > 1000);
    expect(await verifyChain(hasher, input(log, { links: kept, checkpoints, anchor }))).toMatchObject({
      ok: true,
      count: 1100,
      firstSeq: 1001,
    });
    expect(await verifyChain(hasher, input(log, { links: kept, checkpoints }))).toMatchObject({
      ok: false,
      problem: 'gap',
      seq: 1,
    });
    const forged = { ...anchor, hash: 'f'.repeat(64) };
    expect(await verifyChain(hasher, input(log, { links: kept, checkpoints, anchor: forged }))).toMatchObject(
      {
        ok: false,
        problem: 'bad-anchor',
      },
    );
  });
});
