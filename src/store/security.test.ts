import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { AccessLog } from './accessLog';
import { rawDump } from '../../tests/support/rawDump';
import { vaultDbs } from '../../tests/support/vaultDb';
import { StorageHealth } from './health';
import { passwordCredential, unlockWithPassword, unlockWithRecoveryCode } from './vault';

const fx = vaultDbs('sec');

describe('vault', () => {
  it('unlocks with the right password or the recovery code, never with a wrong one', async () => {
    const cred = await passwordCredential(fx.made.keys.dek, 'a long pass phrase 1');
    expect(await unlockWithPassword(fx.made.vault, cred, 'a long pass phrase 1')).not.toBeNull();
    expect(await unlockWithPassword(fx.made.vault, cred, 'a long pass phrase 2')).toBeNull();
    expect(fx.made.recoveryCode).toMatch(/^([A-Z2-7]{5}-){4}[A-Z2-7]{5}$/);
    expect(await unlockWithRecoveryCode(fx.made.vault, fx.made.recoveryCode.toLowerCase())).not.toBeNull();
    expect(await unlockWithRecoveryCode(fx.made.vault, 'AAAAA-AAAAA-AAAAA-AAAAA-AAAAA')).toBeNull();
  });

  it('keeps no key usable in the clear on disk: the log signing key is not extractable', async () => {
    expect(fx.made.vault.logSigningKey.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('pkcs8', fx.made.vault.logSigningKey)).rejects.toThrow();
  });
});

describe('access log on disk', () => {
  it('appends, verifies, and opens entries only with the unlocked keys', async () => {
    const db = await fx.freshDb();
    const log = await AccessLog.create(
      db,
      new StorageHealth(() => 1, undefined),
      'DEV1',
      () => 1_700_000_000_000,
    );
    for (let i = 0; i < 25; i++) {
      await log.append(fx.made.vault, {
        userId: 'u1',
        username: 'jdoe',
        agency: 'CA0340000',
        action: 'reads.search',
        outcome: 'ok',
        terms: { plate: `7ABC${100 + i}` },
        purpose: {
          category: 'stolen-vehicle',
          reference: '24-012345',
          referenceKind: 'case-number',
          note: null,
        },
        resultCount: i,
      });
    }
    expect(await log.verify(fx.made.vault)).toMatchObject({ ok: true, count: 25 });
    const entries = await log.entries(fx.made.keys);
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(entries[3]).toMatchObject({
      username: 'jdoe',
      terms: { plate: '7ABC103' },
      resultCount: 3,
      deviceId: 'DEV1',
    });

    const dump = await rawDump(db);
    expect(dump.includes('log-session')).toBe(true); // the dump does see plain fields
    expect(dump.includes('7ABC103')).toBe(false);
    expect(dump.includes('24-012345')).toBe(false);
    expect(dump.includes('jdoe')).toBe(false);
  });

  it('detects an entry edited or deleted directly in IndexedDB', async () => {
    const db = await fx.freshDb();
    const log = await AccessLog.create(db, new StorageHealth(() => 1, undefined), 'DEV1');
    for (let i = 0; i < 5; i++) {
      await log.append(fx.made.vault, {
        userId: null,
        username: null,
        agency: null,
        action: 'auth.signIn',
        outcome: 'failed',
      });
    }
    const row = (await db.accessLog.get(3))!;
    const ct = new Uint8Array(row.sealed.ct.slice(0));
    ct[2]! ^= 0xff;
    await db.accessLog.put({ ...row, sealed: { ...row.sealed, ct: ct.buffer } });
    expect(await log.verify(fx.made.vault)).toMatchObject({ ok: false, problem: 'edited', seq: 3 });
    await db.accessLog.put(row);
    expect(await log.verify(fx.made.vault)).toMatchObject({ ok: true });
    await db.accessLog.delete(5);
    expect(await log.verify(fx.made.vault)).toMatchObject({ ok: false, problem: 'truncated' });
  });

  it('serialises concurrent appends into one gap-free chain', async () => {
    const db = await fx.freshDb();
    const log = await AccessLog.create(db, new StorageHealth(() => 1, undefined), 'DEV1');
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        log.append(fx.made.vault, {
          userId: null,
          username: null,
          agency: null,
          action: `t.${i}`,
          outcome: 'ok',
        }),
      ),
    );
    expect(await log.verify(fx.made.vault)).toMatchObject({ ok: true, count: 20 });
    expect((await log.entries(fx.made.keys)).map((e) => e.action)).toEqual(
      Array.from({ length: 20 }, (_, i) => `t.${i}`),
    );
  });

  it('two workers appending to one log at once keep one gap-free chain', async () => {
    const db = await fx.freshDb();
    const health = new StorageHealth(() => 1, undefined);
    const a = await AccessLog.create(db, health, 'DEV1');
    const b = await AccessLog.create(db, health, 'DEV1');
    const entry = (action: string) => ({
      userId: null,
      username: null,
      agency: null,
      action,
      outcome: 'ok' as const,
    });
    await Promise.all(
      Array.from({ length: 15 }, (_, i) => [
        a.append(fx.made.vault, entry(`a.${i}`)),
        b.append(fx.made.vault, entry(`b.${i}`)),
      ]).flat(),
    );
    expect(await a.verify(fx.made.vault)).toMatchObject({ ok: true, count: 30 });
    const actions = (await a.entries(fx.made.keys)).map((e) => e.action);
    expect(actions.filter((x) => x.startsWith('a.'))).toEqual(Array.from({ length: 15 }, (_, i) => `a.${i}`));
    expect(actions.filter((x) => x.startsWith('b.'))).toHaveLength(15);
  });

  it('the retention purge removes only whole expired segments, leaves a signed record, and the chain still verifies', async () => {
    const db = await fx.freshDb();
    let now = Date.UTC(2020, 0, 1);
    const log = await AccessLog.create(db, new StorageHealth(() => now, undefined), 'DEV1', () => now);
    const entry = {
      userId: null,
      username: null,
      agency: null,
      action: 'reads.search',
      outcome: 'ok' as const,
    };
    for (let i = 0; i < 2100; i++) {
      now += 60_000;
      await log.append(fx.made.vault, entry);
    }
    now = Date.UTC(2026, 0, 1);
    for (let i = 0; i < 10; i++) await log.append(fx.made.vault, entry);
    const cutoff = Date.UTC(2023, 0, 1);
    // Entries 2001–2100 are old too, but their segment is not closed by a checkpoint: they stay.
    expect(await db.logSegments.count()).toBe(2); // entries 1–2000 are packed into two closed segments
    expect(await log.purgeBefore(fx.made.vault, cutoff)).toBe(2000);
    expect(await db.accessLog.count()).toBe(111);
    expect(await log.verify(fx.made.vault)).toMatchObject({ ok: true, firstSeq: 2001, lastSeq: 2111 });
    const last = (await log.entries(fx.made.keys)).at(-1)!;
    expect(last).toMatchObject({ action: 'log.purge', resultCount: 2000 });
    expect(await log.purgeBefore(fx.made.vault, cutoff)).toBe(0);
    // Deleting a kept entry is still caught.
    await db.accessLog.delete(2050);
    expect(await log.verify(fx.made.vault)).toMatchObject({ ok: false, problem: 'gap', seq: 2050 });
  });

  it('closed segments are packed, and an entry edited inside one is still caught', async () => {
    const db = await fx.freshDb();
    const log = await AccessLog.create(db, new StorageHealth(() => 1, undefined), 'DEV1');
    const entry = { userId: null, username: null, agency: null, action: 'x', outcome: 'ok' as const };
    for (let i = 0; i < 1005; i++) await log.append(fx.made.vault, entry);
    expect(await db.logSegments.count()).toBe(1);
    expect(await db.accessLog.count()).toBe(5);
    expect(await log.verify(fx.made.vault)).toMatchObject({ ok: true, count: 1005 });
    expect((await log.entries(fx.made.keys)).length).toBe(1005);
    const segment = (await db.logSegments.get(1))!;
    segment.links[499] = { ...segment.links[499]!, at: segment.links[499]!.at + 1 };
    await db.logSegments.put(segment);
    expect(await log.verify(fx.made.vault)).toMatchObject({ ok: false, problem: 'edited', seq: 500 });
  });
});
