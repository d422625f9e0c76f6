import 'fake-indexeddb/auto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { base32Decode, totp } from '../core/security/totp';
import { AlprDb } from '../store/db';
import { createBackend } from './backend';
import type { Envelope } from './registry';

// End-to-end flows through the real dispatcher, handlers, store and WebCrypto, on fake-indexeddb.
const T0 = Date.UTC(2026, 10, 20, 8, 0, 0);
let t = T0;
let db: AlprDb;
let backend: ReturnType<typeof createBackend>;
const PASSWORD = 'correct horse battery staple';
const purpose = { category: 'audit', reference: 'AUD26-0001' };

async function call<T = unknown>(name: string, input: unknown = {}): Promise<T> {
  const r = await backend.call(name, input);
  if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code });
  return r.value as T;
}
async function fail(name: string, input: unknown = {}): Promise<{ code: string; message: string }> {
  const r: Envelope<unknown> = await backend.call(name, input);
  if (r.ok) throw new Error(`${name} unexpectedly succeeded`);
  return r.error;
}
/** A fresh TOTP step for every sign-in (codes cannot be reused). */
async function code(secret: string): Promise<string> {
  t += 31_000;
  return totp(base32Decode(secret), t);
}

let recoveryCode = '';
async function setup(): Promise<string> {
  const offer = await call<{ enrolmentId: string; secret: string }>('setup.offerTotp', { username: 'admin' });
  ({ recoveryCode } = await call<{ recoveryCode: string }>('setup.create', {
    agencyName: 'Example County Sheriff',
    ori: 'CA0340000',
    username: 'admin',
    name: 'Alex Admin',
    jobTitle: 'ALPR Administrator',
    password: PASSWORD,
    trainingCourse: 'ALPR operator and SB 34 policy',
    trainingCompletedAt: t - 86_400_000,
    acknowledgePolicy: true,
    enrolmentId: offer.enrolmentId,
    code: await totp(base32Decode(offer.secret), t),
  }));
  return offer.secret;
}

async function signInAs(username: string, secret: string): Promise<void> {
  await call('auth.signIn', { username, password: PASSWORD, factor: { code: await code(secret) } });
}

/** As an administrator: load a one-entry NCIC list (ABC123, CA). */
async function importNcic(): Promise<void> {
  await call('hotlists.import', {
    format: 'ncic',
    source: 'ncic.txt',
    text: 'V20261101ABC123  CA2019TOYTCAMBLK',
  });
}

async function signInAdmin(secret: string): Promise<void> {
  await call('auth.signIn', { username: 'admin', password: PASSWORD, factor: { code: await code(secret) } });
}

/** As an administrator: the id of a user. */
async function userIdOf(username: string): Promise<string> {
  return (await call<{ id: string; username: string }[]>('users.list')).find((u) => u.username === username)!
    .id;
}

/** Create a fully enabled user (trained, policy acknowledged, TOTP enrolled); returns their TOTP secret. */
async function enabledUser(
  adminSecret: string,
  username: string,
  roles: string[],
  adminPassword = PASSWORD,
): Promise<string> {
  await call('auth.signIn', {
    username: 'admin',
    password: adminPassword,
    factor: { code: await code(adminSecret) },
  });
  const u = await call<{ id: string }>('users.create', {
    username,
    name: 'Pat Person',
    jobTitle: 'Deputy',
    roles,
    password: PASSWORD,
  });
  await call('users.recordTraining', { userId: u.id, course: 'ALPR basics', completedAt: t - 1000 });
  await call('auth.signOut');
  await call('auth.signIn', { username, password: PASSWORD });
  const offer = await call<{ enrolmentId: string; secret: string }>('auth.offerTotp');
  await call('auth.confirmTotp', { enrolmentId: offer.enrolmentId, code: await code(offer.secret) });
  await call('auth.acknowledgePolicy', { revision: 1 });
  await call('auth.signOut');
  return offer.secret;
}

/** A read as capture.addRead takes it: front camera, no GPS fix, captured now. */
function readOf(plate: string, alternates: string[] = []) {
  return {
    plate,
    confidence: 0.9,
    alternates: alternates.map((p) => ({ plate: p, confidence: 0.05 })),
    region: null,
    capturedAt: t,
    cameraId: 'cam-front',
    gps: null,
    engine: 'test',
    imported: null,
  };
}

beforeEach(() => {
  t = T0; // each test starts on the same clock (hot-list extract dates below are written against it)
  db = new AlprDb(`backend-${t}-${Math.random()}`);
  backend = createBackend({ db, now: () => t });
});

describe('first-run setup', () => {
  it('creates the agency and administrator once, and refuses a second setup', async () => {
    expect(await call('setup.status')).toEqual({ configured: false, agency: null });
    await setup();
    expect(await call('setup.status')).toMatchObject({ configured: true, agency: { ori: 'CA0340000' } });
    expect((await fail('setup.offerTotp', { username: 'x-admin' })).code).toBe('conflict');
  });

  it('refuses setup with a wrong second-factor code, leaving nothing behind', async () => {
    const offer = await call<{ enrolmentId: string }>('setup.offerTotp', { username: 'admin' });
    const r = await fail('setup.create', {
      agencyName: 'Example County Sheriff',
      ori: 'CA0340000',
      username: 'admin',
      name: 'Alex Admin',
      jobTitle: 'Administrator',
      password: PASSWORD,
      trainingCourse: 'ALPR',
      trainingCompletedAt: t - 1000,
      acknowledgePolicy: true,
      enrolmentId: offer.enrolmentId,
      code: '000000',
    });
    expect(r.code).toBe('bad-input');
    expect(await db.users.count()).toBe(0);
    expect(await db.agency.count()).toBe(0);
  });
});

describe('sign-in', () => {
  it('needs the password and the second factor; no screen works before it', async () => {
    const secret = await setup();
    expect((await fail('users.list')).code).toBe('unauthenticated');
    expect((await fail('auth.signIn', { username: 'admin', password: PASSWORD })).message).toMatch(/Wrong/);
    const s = await call<{ username: string; blockers: unknown[] }>('auth.signIn', {
      username: 'admin',
      password: PASSWORD,
      factor: { code: await code(secret) },
    });
    expect(s).toMatchObject({ username: 'admin', blockers: [], locked: false });
    expect(await call<unknown[]>('users.list')).toHaveLength(1);
  });

  it('refuses a TOTP code that was already used', async () => {
    const secret = await setup();
    const c = await code(secret);
    await call('auth.signIn', { username: 'admin', password: PASSWORD, factor: { code: c } });
    await call('auth.signOut');
    expect(
      (await fail('auth.signIn', { username: 'admin', password: PASSWORD, factor: { code: c } })).code,
    ).toBe('unauthenticated');
  });

  it('locks an account after 5 failures until an administrator unlocks it', async () => {
    const adminSecret = await setup();
    const opSecret = await enabledUser(adminSecret, 'officer', ['operator']);
    for (let i = 1; i <= 4; i++) {
      const e = await fail('auth.signIn', {
        username: 'officer',
        password: 'wrong password!!',
        factor: { code: await code(opSecret) },
      });
      expect(e.message).toContain(`${5 - i} attempt`);
    }
    const fifth = await fail('auth.signIn', { username: 'officer', password: 'wrong password!!' });
    expect(fifth).toMatchObject({ code: 'locked' });
    // Even the right password does not open a locked account.
    expect(
      (
        await fail('auth.signIn', {
          username: 'officer',
          password: PASSWORD,
          factor: { code: await code(opSecret) },
        })
      ).code,
    ).toBe('locked');
    await signInAdmin(adminSecret);
    const officer = (await call<{ id: string; username: string; status: string }[]>('users.list')).find(
      (u) => u.username === 'officer',
    )!;
    expect(officer.status).toBe('locked');
    await call('users.unlock', { userId: officer.id });
    await call('auth.signOut');
    expect(
      await call('auth.signIn', {
        username: 'officer',
        password: PASSWORD,
        factor: { code: await code(opSecret) },
      }),
    ).toMatchObject({ locked: false });
  });

  it('lets a user with expired training sign in only to see why', async () => {
    const adminSecret = await setup();
    const opSecret = await enabledUser(adminSecret, 'officer', ['operator', 'auditor']);
    t += 731 * 86_400_000; // training is older than the 2-year interval now
    const s = await call<{ blockers: { kind: string; message: string }[] }>('auth.signIn', {
      username: 'officer',
      password: PASSWORD,
      factor: { code: await code(opSecret) },
    });
    expect(s.blockers.map((b) => b.kind)).toContain('training-expired');
    const e = await fail('audit.verify');
    expect(e).toMatchObject({ code: 'blocked' });
    expect(e.message).toMatch(/training expired/);
  });

  it('locks the screen after the idle minutes; the same user unlocks it', async () => {
    const secret = await setup();
    await signInAdmin(secret);
    t += 14 * 60_000;
    await call('users.list'); // activity keeps it open
    t += 15 * 60_000 + 1;
    expect((await fail('users.list')).code).toBe('locked');
    expect(await call('auth.session')).toMatchObject({ locked: true, username: 'admin' });
    expect(
      (await fail('auth.unlock', { password: 'not it at all', factor: { code: await code(secret) } })).code,
    ).toBe('unauthenticated');
    await call('auth.unlock', { password: PASSWORD, factor: { code: await code(secret) } });
    expect(await call<unknown[]>('users.list')).toHaveLength(1);
  });

  it('a deactivated user cannot sign in, and still appears by name in the log', async () => {
    const adminSecret = await setup();
    const opSecret = await enabledUser(adminSecret, 'officer', ['operator']);
    await signInAdmin(adminSecret);
    const officer = { id: await userIdOf('officer') };
    await call('users.deactivate', { userId: officer.id });
    await call('auth.signOut');
    expect(
      (
        await fail('auth.signIn', {
          username: 'officer',
          password: PASSWORD,
          factor: { code: await code(opSecret) },
        })
      ).message,
    ).toMatch(/deactivated/);
    expect(await db.users.get(officer.id)).toMatchObject({ status: 'deactivated' });
  });
});

describe('purpose gate and access log', () => {
  it('refuses vague or missing purposes and logs every attempt, then verifies and exports the chain', async () => {
    const adminSecret = await setup();
    const audSecret = await enabledUser(adminSecret, 'auditor1', ['auditor']);
    await signInAs('auditor1', audSecret);
    expect((await fail('audit.entries', { filter: {} })).code).toBe('purpose-refused');
    const vague = await fail('audit.entries', {
      purpose: { category: 'audit', reference: 'investigation' },
      filter: {},
    });
    expect(vague).toMatchObject({ code: 'purpose-refused' });
    expect(vague.message).toMatch(/too vague/);
    expect((await fail('users.list')).code).toBe('forbidden');

    const entries = await call<
      { action: string; outcome: string; username: string | null; purpose: unknown }[]
    >('audit.entries', { purpose, filter: {} });
    const actions = entries.map((e) => `${e.action}:${e.outcome}`);
    expect(actions).toEqual(
      expect.arrayContaining([
        'setup.create:ok',
        'auth.signIn:ok',
        'users.create:ok',
        'audit.entries:refused',
        'users.list:refused',
      ]),
    );
    const refusal = entries.find((e) => e.action === 'audit.entries' && e.outcome === 'refused')!;
    expect(refusal.username).toBe('auditor1');

    const onlyAdmin = await call<{ username: string }[]>('audit.entries', {
      purpose,
      filter: { username: 'admin', action: 'users.' },
    });
    expect(onlyAdmin.length).toBeGreaterThan(0);
    expect(onlyAdmin.every((e) => e.username === 'admin')).toBe(true);

    expect(await call('audit.verify')).toMatchObject({ ok: true });
    const csv = await call<{ content: string; mime: string }>('audit.export', {
      purpose,
      filter: {},
      format: 'csv',
    });
    expect(csv.mime).toBe('text/csv');
    expect(csv.content.split('\r\n')[0]).toBe(
      'seq,time,username,agency,action,outcome,terms,purposeCategory,purposeReference,caseNumber,resultCount,detail,hash',
    );
    expect(csv.content).toMatch(/# chain proof: .*"verification":\{"ok":true/);
    const json = JSON.parse(
      (await call<{ content: string }>('audit.export', { purpose, filter: {}, format: 'json' })).content,
    );
    expect(json.chainProof.head.signature).toMatch(/^[A-Za-z0-9+/=]+$/);
    expect(json.entries.at(-1).action).toBe('audit.export');

    // The export itself was logged, with its purpose and case reference.
    const last = (
      await call<{ action: string; purpose: { reference: string } | null }[]>('audit.entries', {
        purpose,
        filter: { action: 'audit.export' },
      })
    ).at(-1)!;
    expect(last.purpose?.reference).toBe('AUD26-0001');
  });

  it('an administrator edit of the log in IndexedDB is caught by verification', async () => {
    const adminSecret = await setup();
    const audSecret = await enabledUser(adminSecret, 'auditor1', ['auditor']);
    const row = (await db.accessLog.get(2))!;
    await db.accessLog.put({ ...row, at: row.at + 1 });
    await signInAs('auditor1', audSecret);
    expect(await call('audit.verify')).toMatchObject({ ok: false, problem: 'edited', seq: 2 });
  });
});

describe('policy changes and recovery', () => {
  it('adopts a validated new policy revision, logged, which everyone must acknowledge again', async () => {
    const secret = await setup();
    await signInAdmin(secret);
    const { policy } = await call<{ policy: { revision: number; signIn: { idleLockMinutes: number } } }>(
      'policy.get',
    );
    const bad = await fail('policy.adopt', {
      document: { ...policy, revision: 2, signIn: { ...policy.signIn, idleLockMinutes: 0 } },
    });
    expect(bad).toMatchObject({ code: 'bad-input' });
    expect(bad.message).toContain('signIn.idleLockMinutes');
    expect((await fail('policy.adopt', { document: policy })).code).toBe('conflict');
    await call('policy.adopt', {
      document: { ...policy, revision: 2, signIn: { ...policy.signIn, idleLockMinutes: 5 } },
    });
    expect((await fail('users.list')).code).toBe('blocked');
    await call('auth.acknowledgePolicy', { revision: 2 });
    expect(await call<unknown[]>('users.list')).toHaveLength(1);
    t += 5 * 60_000 + 1;
    expect((await fail('users.list')).code).toBe('locked'); // the new idle minutes apply at once
  });

  it('the recovery code resets a password (logged) but never bypasses the second factor', async () => {
    const secret = await setup();
    expect(
      (
        await fail('auth.recover', {
          username: 'admin',
          recoveryCode: 'AAAAA-AAAAA-AAAAA-AAAAA-AAAAA',
          newPassword: 'a brand new pass phrase',
        })
      ).code,
    ).toBe('unauthenticated');
    await call('auth.recover', { username: 'admin', recoveryCode, newPassword: 'a brand new pass phrase' });
    expect((await fail('auth.signIn', { username: 'admin', password: 'a brand new pass phrase' })).code).toBe(
      'unauthenticated',
    );
    await call('auth.signIn', {
      username: 'admin',
      password: 'a brand new pass phrase',
      factor: { code: await code(secret) },
    });
    await call('auth.signOut');
    const audSecret = await enabledUser(secret, 'auditor1', ['auditor'], 'a brand new pass phrase');
    await signInAs('auditor1', audSecret);
    const log = await call<{ action: string; outcome: string }[]>('audit.entries', {
      purpose,
      filter: { action: 'auth.recover' },
    });
    expect(log.map((e) => e.outcome)).toEqual(['failed', 'ok']);
  });

  it('an administrator can reset a user who lost their second factor; they enrol again', async () => {
    const adminSecret = await setup();
    await enabledUser(adminSecret, 'officer', ['operator']);
    await signInAdmin(adminSecret);
    const officer = { id: await userIdOf('officer') };
    await call('users.resetSecondFactor', { userId: officer.id });
    await call('auth.signOut');
    expect(await call('auth.signIn', { username: 'officer', password: PASSWORD })).toMatchObject({
      mustEnrolSecondFactor: true,
    });
  });
});

describe('hot-list imports', () => {
  // Extracted 23:00 California time on 19 November = 07:00 UTC on the 20th, an hour before the test's clock.
  const clew = (plates: string[], footer = plates.length, header = 'DATE11/19/2026 23:00') =>
    [
      header,
      ...plates.map((p) => `${p.padEnd(8)}CA0120261101`),
      `TOTAL RECORD ${String(footer).padStart(7, '0')}`,
    ].join('\n');

  it('imports a CLEW file, refuses a malformed one whole (the old list stays), and reports staleness', async () => {
    const adminSecret = await setup();
    await signInAdmin(adminSecret);
    expect(
      await call('hotlists.import', {
        format: 'clew',
        list: 'SVS',
        source: 'svs.tbl',
        text: clew(['7ABC123', '8XYZ789']),
      }),
    ).toEqual({
      listId: 'svs',
      version: 1,
      entries: 2,
    });
    const refused = await fail('hotlists.import', {
      format: 'clew',
      list: 'SVS',
      source: 'svs.tbl',
      text: clew(['1AAA111', 'BAD PLATE'], 3),
    });
    expect(refused.code).toBe('bad-input');
    expect(refused.message).toMatch(/unchanged.*line 3: .*line 4: The footer says 3 records/);
    const csv = await fail('hotlists.import', {
      format: 'csv',
      listName: 'BOLO',
      source: 'bolo.csv',
      mapping: { plate: 'Plate' },
      text: 'Plate,Suspect Name\n7ABC123,Doe',
    });
    expect(csv.message).toMatch(/personal data/);

    const [svs] =
      await call<{ name: string; entryCount: number; version: number; stale: boolean }[]>('hotlists.list');
    expect(svs).toMatchObject({ name: 'SVS', entryCount: 2, version: 1, stale: false });
    t += 25 * 3_600_000;
    await call('auth.unlock', { password: PASSWORD, factor: { code: await code(adminSecret) } }).catch(
      () => undefined,
    );
    const [later] = await call<{ stale: boolean; ageHours: number }[]>('hotlists.list');
    expect(later!.stale).toBe(true);
    expect(later!.ageHours).toBeGreaterThan(24);
  });

  it("counts a list's age from its extract date; refuses an extract older than the list in force or in the future", async () => {
    const adminSecret = await setup();
    await signInAdmin(adminSecret);
    const load = (header: string, plates = ['7ABC123']) =>
      backend.call('hotlists.import', {
        format: 'clew',
        list: 'SFR',
        source: 'sfr.tbl',
        text: clew(plates, plates.length, header),
      });
    // Loaded just now, but extracted three days ago: stale from the start.
    expect((await load('DATE11/17/2026 07:00')).ok).toBe(true);
    const [old] = await call<{ stale: boolean; ageHours: number; extractedAt: number }[]>('hotlists.list');
    expect(old).toMatchObject({ stale: true, extractedAt: Date.UTC(2026, 10, 17, 15, 0) });
    expect(Math.round(old!.ageHours)).toBe(65);
    // A newer extract replaces it and is fresh.
    expect((await load('DATE11/19/2026 23:00', ['7ABC123', '8XYZ789'])).ok).toBe(true);
    const [fresh] = await call<{ stale: boolean; version: number; entryCount: number }[]>('hotlists.list');
    expect(fresh).toMatchObject({ stale: false, version: 2, entryCount: 2 });
    // Going back to the older extract is refused; so is an extract dated days ahead. The list in force stays.
    const older = await fail('hotlists.import', {
      format: 'clew',
      list: 'SFR',
      source: 'sfr.tbl',
      text: clew(['1AAA111'], 1, 'DATE11/18/2026 07:00'),
    });
    expect(older.message).toMatch(/older than the SFR list in force .* the newer list stays/);
    const future = await fail('hotlists.import', {
      format: 'clew',
      list: 'SFR',
      source: 'sfr.tbl',
      text: clew(['1AAA111'], 1, 'DATE11/25/2026 07:00'),
    });
    expect(future.message).toMatch(/in the future: check the file and this unit's clock/);
    expect(await call('hotlists.list')).toMatchObject([{ version: 2, entryCount: 2 }]);
  });

  it('fetches a URL source from the app’s server when due; a bad or missing file leaves the list, recorded and logged', async () => {
    // A real HTTP server stands in for the agency server the app is served from.
    const files = new Map<string, string>();
    const server = createServer((req, res) => {
      const body = files.get(req.url ?? '');
      res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'text/plain' });
      res.end(body ?? 'not found');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    backend = createBackend({ db, now: () => t, origin });
    try {
      const adminSecret = await setup();
      await signInAdmin(adminSecret);
      type Source = {
        listId: string;
        status: { lastError: string | null; lastSuccessAt: number | null };
        dueAt: number | null;
      };
      const other = await fail('hotlists.saveSource', {
        format: 'clew',
        list: 'SVS',
        origin: 'url',
        url: 'https://lists.example.com/svs.tbl',
      });
      expect(other.message).toMatch(/must be on this app's server/);
      expect(
        (
          await fail('hotlists.saveSource', {
            format: 'clew',
            list: 'SVS',
            origin: 'url',
            url: '/svs.tbl',
            intervalHours: 48,
          })
        ).message,
      ).toMatch(/from 1 to 24/);

      // Nothing published yet: the first attempt fails, the reason is kept and logged.
      await call('hotlists.saveSource', {
        format: 'clew',
        list: 'SVS',
        origin: 'url',
        url: '/lists/svs.tbl',
        intervalHours: 12,
      });
      // Saving a URL source fetches it at once, in the background.
      await vi.waitFor(async () => {
        const [s] = await call<Source[]>('hotlists.sources');
        expect(s!.status.lastError).toMatch(/lists\/svs\.tbl answered 404/);
      });
      expect(await call('hotlists.list')).toEqual([]);

      // Published: the due source loads; a second refresh of the same extract changes nothing.
      files.set('/lists/svs.tbl', clew(['7ABC123', '8XYZ789']));
      expect(await call('hotlists.fetchNow', { listId: 'svs' })).toMatchObject({
        outcome: 'loaded',
        entries: 2,
        version: 1,
      });
      expect(await call('hotlists.fetchNow', { listId: 'svs' })).toMatchObject({ outcome: 'unchanged' });
      const [list] = await call<{ source: string; intervalHours: number; stale: boolean }[]>('hotlists.list');
      expect(list).toMatchObject({ source: `${origin}/lists/svs.tbl`, intervalHours: 12, stale: false });
      const [src] = await call<Source[]>('hotlists.sources');
      expect(src!.dueAt).toBe(Date.UTC(2026, 10, 20, 19, 0)); // extract 07:00 UTC + 12 h

      // 13 hours on, a malformed file is published: the timer's check finds the list due, refuses the file,
      // keeps version 1 (now stale) and waits 15 minutes before trying again.
      files.set('/lists/svs.tbl', clew(['1AAA111', 'BAD PLATE'], 2, 'DATE11/20/2026 11:00'));
      t += 13 * 3_600_000;
      await call('auth.unlock', { password: PASSWORD, factor: { code: await code(adminSecret) } }).catch(
        () => undefined,
      );
      await vi.waitFor(async () => {
        const [s] = await call<Source[]>('hotlists.sources');
        expect(s!.status.lastError).toMatch(/refused and the list in force is unchanged. line 3/);
      });
      expect(await call('hotlists.list')).toMatchObject([{ version: 1, entryCount: 2, stale: true }]);
      await call('auth.signOut');
      await signInAs('aud1', await enabledUser(adminSecret, 'aud1', ['auditor']));
      const log = await call<{ outcome: string; detail: string; terms: Record<string, string> }[]>(
        'audit.entries',
        {
          purpose,
          filter: { action: 'hotlists.refresh' },
        },
      );
      expect(log.map((e) => e.outcome)).toEqual(['failed', 'ok', 'ok', 'failed']); // 404, loaded, nothing newer, refused
      expect(log[1]!.detail).toMatch(/SVS refreshed from .*: 2 entries, version 1/);
      expect(log[0]!.terms).toEqual({ list: 'SVS', url: `${origin}/lists/svs.tbl` });
    } finally {
      server.close();
    }
  });

  it('only roles with hotlists.import may load a list, and every load is logged', async () => {
    const adminSecret = await setup();
    const invSecret = await enabledUser(adminSecret, 'inv1', ['investigator', 'auditor']);
    await signInAs('inv1', invSecret);
    expect((await fail('hotlists.import', { format: 'ncic', source: 'ncic.txt', text: 'x' })).code).toBe(
      'forbidden',
    );
    await call('auth.signOut');
    await signInAdmin(adminSecret);
    await importNcic();
    await call('auth.signOut');
    await signInAs('inv1', invSecret);
    const log = await call<
      { username: string; outcome: string; terms: Record<string, string>; resultCount: number | null }[]
    >('audit.entries', {
      purpose,
      filter: { action: 'hotlists.import' },
    });
    expect(log.map((e) => `${e.username}:${e.outcome}`)).toEqual(['inv1:refused', 'admin:ok']);
    expect(log[1]).toMatchObject({ terms: { format: 'ncic', source: 'ncic.txt' }, resultCount: 1 });
  });
});

describe('local hot-list entries', () => {
  const bolo = {
    plate: '4K?L2*',
    state: 'CA',
    list: 'BOLO',
    synopsis: 'Armed robbery, suspect vehicle fled north on J Street',
    caseNumber: '26-004512',
    vehicle: 'grey sedan',
    priority: 'high',
  };

  it('are pending until another administrator approves them; everything is logged', async () => {
    const adminSecret = await setup();
    const opSecret = await enabledUser(adminSecret, 'officer', ['operator']);
    const admin2Secret = await enabledUser(adminSecret, 'admin2', [
      'administrator',
      'auditor',
      'investigator',
    ]);
    await signInAs('officer', opSecret);
    const bad = await fail('hotlists.enterLocal', {
      ...bolo,
      synopsis: 'Driver name: John Doe, DOB 01/02/1980',
    });
    expect(bad).toMatchObject({ code: 'bad-input' });
    expect(bad.message).toMatch(/synopsis/);
    const entered = await call<{ id: string; status: string; entry: { expiresAt: number } }>(
      'hotlists.enterLocal',
      bolo,
    );
    expect(entered).toMatchObject({ status: 'pending' });
    expect(entered.entry.expiresAt).toBe(t + 30 * 86_400_000);
    expect((await fail('hotlists.decideLocal', { id: entered.id, approve: true })).code).toBe('forbidden');
    await call('auth.signOut');

    await signInAs('admin2', admin2Secret);
    const approved = await call<{ status: string; decision: { by: { username: string } } }>(
      'hotlists.decideLocal',
      { id: entered.id, approve: true },
    );
    expect(approved).toMatchObject({ status: 'active', decision: { by: { username: 'admin2' } } });
    expect((await fail('hotlists.decideLocal', { id: entered.id, approve: false })).code).toBe('conflict');
    const own = await call<{ id: string }>('hotlists.enterLocal', { ...bolo, plate: '8XYZ789' });
    expect((await fail('hotlists.decideLocal', { id: own.id, approve: true })).message).toMatch(
      /Another administrator/,
    );
    const all = await call<{ status: string; entry: { plate: string } }[]>('hotlists.localEntries');
    expect(all.map((e) => `${e.entry.plate}:${e.status}`).sort()).toEqual([
      '4K?L2*:active',
      '8XYZ789:pending',
    ]);
    t += 31 * 86_400_000;
    await call('auth.unlock', { password: PASSWORD, factor: { code: await code(admin2Secret) } }).catch(
      () => undefined,
    );
    const later = await call<{ status: string; entry: { plate: string } }[]>('hotlists.localEntries');
    expect(later.find((e) => e.entry.plate === '4K?L2*')?.status).toBe('expired');

    const log = await call<
      { action: string; outcome: string; username: string; terms: Record<string, string> | null }[]
    >('audit.entries', {
      purpose,
      filter: { action: 'hotlists.' },
    });
    expect(log.map((e) => `${e.username}:${e.action}:${e.outcome}`)).toEqual(
      expect.arrayContaining([
        'officer:hotlists.enterLocal:refused',
        'officer:hotlists.enterLocal:ok',
        'officer:hotlists.decideLocal:refused',
        'admin2:hotlists.decideLocal:ok',
      ]),
    );
    expect(log.find((e) => e.action === 'hotlists.enterLocal' && e.outcome === 'ok')?.terms).toMatchObject({
      plate: '4K?L2*',
      caseNumber: '26-004512',
    });
  });

  it("edits of an entry in force wait for the entering member's supervisor; the entry matches as it was until then", async () => {
    /** Store a read in a running capture session; the hit it raised, if any. */
    const readHit = async (token: string, plate: string) =>
      (
        await call<{ hit: { matches: { entry: { plate: string } }[] } | null }>('capture.addRead', {
          token,
          read: readOf(plate),
          crop: new Uint8Array([0xff, 0xd8, 9]),
          overview: null,
        })
      ).hit;
    const adminSecret = await setup();
    const opSecret = await enabledUser(adminSecret, 'officer', ['operator']);
    const supSecret = await enabledUser(adminSecret, 'sgt1', ['supervisor']);
    const otherSupSecret = await enabledUser(adminSecret, 'sgt2', ['supervisor']);
    await signInAs('officer', opSecret);
    const entered = await call<{ id: string }>('hotlists.enterLocal', { ...bolo, plate: '4KZL200' });
    await call('auth.signOut');
    await signInAdmin(adminSecret);
    await call('hotlists.decideLocal', { id: entered.id, approve: true, note: null });
    await call('auth.signOut');

    // The officer learns the full plate: the edit is held, the entry in force is unchanged.
    await signInAs('officer', opSecret);
    const edit = {
      ...bolo,
      id: entered.id,
      plate: '6TRW381',
      synopsis: 'Armed robbery; plate confirmed by a witness',
    };
    const held = await call<{ entry: { plate: string }; pendingEdit: { entry: { plate: string } } }>(
      'hotlists.proposeEdit',
      edit,
    );
    expect(held).toMatchObject({ entry: { plate: '4KZL200' }, pendingEdit: { entry: { plate: '6TRW381' } } });
    expect((await fail('hotlists.proposeEdit', edit)).message).toMatch(/already waiting/);
    expect((await fail('hotlists.decideEdit', { id: entered.id, approve: true })).code).toBe('forbidden');
    const { token } = await call<{ token: string }>('capture.start', {
      cameras: [{ id: 'cam-front', name: 'Front', position: 'front' }],
    });
    expect(await readHit(token, '6TRW381')).toBeNull();
    await call('capture.stop');
    await call('auth.signOut');

    // The officer has no supervisor on record yet; then another sergeant is not theirs.
    await signInAs('sgt1', supSecret);
    expect((await fail('hotlists.decideEdit', { id: entered.id, approve: true })).message).toMatch(
      /no supervisor on record/,
    );
    await call('auth.signOut');
    await signInAdmin(adminSecret);
    const officerId = await userIdOf('officer');
    expect(
      (await fail('users.update', { userId: officerId, supervisorId: await userIdOf('admin') })).message,
    ).toMatch(/does not have the supervisor role/);
    await call('users.update', { userId: officerId, supervisorId: await userIdOf('sgt1') });
    await call('auth.signOut');
    await signInAs('sgt2', otherSupSecret);
    expect((await fail('hotlists.decideEdit', { id: entered.id, approve: true })).message).toMatch(
      /Only Pat Person’s supervisor/,
    );
    await call('auth.signOut');

    await signInAs('sgt1', supSecret);
    const applied = await call<{
      entry: { plate: string; reason: string };
      pendingEdit: null;
      history: { before: { plate: string }; approvedBy: { username: string } }[];
    }>('hotlists.decideEdit', { id: entered.id, approve: true });
    expect(applied).toMatchObject({
      entry: { plate: '6TRW381', reason: 'Armed robbery; plate confirmed by a witness' },
      pendingEdit: null,
      history: [{ before: { plate: '4KZL200' }, approvedBy: { username: 'sgt1' } }],
    });
    await call('auth.signOut');
    await signInAs('officer', opSecret);
    const again = await call<{ token: string }>('capture.start', {
      cameras: [{ id: 'cam-front', name: 'Front', position: 'front' }],
    });
    expect((await readHit(again.token, '6TRW381'))?.matches[0]?.entry.plate).toBe('6TRW381');
  });

  it('leave the device at the first start after their retention period, whatever their status; logged', async () => {
    const adminSecret = await setup();
    const opSecret = await enabledUser(adminSecret, 'officer', ['operator']);
    const admin2Secret = await enabledUser(adminSecret, 'admin2', ['administrator', 'auditor']);
    await signInAs('officer', opSecret);
    await call('hotlists.enterLocal', bolo); // pending; expires in 30 days
    await call('auth.signOut');
    const restartAt = async (days: number) => {
      t += days * 86_400_000;
      backend = createBackend({ db, now: () => t });
      await signInAs('admin2', admin2Secret);
    };
    // Expired 29 days ago: still on the device (retention 30 days) …
    await restartAt(59);
    expect(await call<unknown[]>('hotlists.localEntries')).toHaveLength(1);
    await call('auth.signOut');
    // … expired 31 days ago: purged at start, and the log says so.
    await restartAt(2);
    await expect.poll(async () => (await call<unknown[]>('hotlists.localEntries')).length).toBe(0);
    const log = await call<{ action: string; detail: string | null }[]>('audit.entries', {
      purpose,
      filter: { action: 'hotlists.purge' },
    });
    expect(log).toHaveLength(1);
    expect(log[0]!.detail).toMatch(/1 local hot-list entries that expired before/);
  });
});

describe('capture sessions', () => {
  const camera = { id: 'cam-front', name: 'Front', position: 'front' };
  const read = (plate: string, extra: Record<string, unknown> = {}) => ({
    plate,
    confidence: 0.93,
    alternates: [{ plate: plate.replace('B', '8'), confidence: 0.04 }],
    region: null,
    capturedAt: t,
    cameraId: 'cam-front',
    gps: { lat: 38.58, lon: -121.49, accuracyM: 5, headingDeg: 90, speedMps: 12, fixAt: t },
    engine: 'plates-us 0.1.0',
    imported: null,
    ...extra,
  });
  const crop = () => new Uint8Array([0xff, 0xd8, 1, 2, 3]);

  it('an operator starts capture; reads go on while the screen is locked; sign-out stops it, logged', async () => {
    const adminSecret = await setup();
    const opSecret = await enabledUser(adminSecret, 'op1', ['operator']);
    await signInAs('op1', opSecret);
    const { token } = await call<{ token: string }>('capture.start', { cameras: [camera] });
    expect((await fail('capture.start', { cameras: [camera] })).code).toBe('conflict');
    const refused = (r: ReturnType<typeof read>, c: Uint8Array, tok = token) =>
      fail('capture.addRead', { token: tok, read: r, crop: c, overview: null });
    const first = await call<{ id: string; overviewStored: boolean }>('capture.addRead', {
      token,
      read: read('7ABC123'),
      crop: crop(),
      overview: new Uint8Array([1, 2, 3]),
    });
    expect(first.overviewStored).toBe(true);
    await call('auth.lock');
    await call('capture.addRead', { token, read: read('8XYZ902'), crop: crop(), overview: null });
    expect(await db.reads.count()).toBe(2);
    // A wrong token, an unknown camera or a hostile plate is refused and stores nothing.
    expect((await refused(read('1AAA111'), crop(), 'f'.repeat(32))).code).toBe('forbidden');
    expect((await refused(read('1AAA111', { cameraId: 'cam-x' }), crop())).code).toBe('bad-input');
    expect((await refused(read('<script>alert(1)</script>'), crop())).code).toBe('bad-input');
    expect((await refused(read('7ABC123'), new Uint8Array())).message).toMatch(/crop/);
    expect(await db.reads.count()).toBe(2);
    // Unlock, then sign out: capture stops.
    await call('auth.unlock', {
      password: PASSWORD,
      factor: { code: await code(opSecret) },
    });
    // Reads the page could not store and the officer gave up at sign-out are recorded with it.
    expect((await fail('auth.signOut', { unstoredReads: -1 })).code).toBe('bad-input');
    expect((await fail('auth.signOut', { unstoredReads: 2, extra: 1 })).code).toBe('bad-input');
    await call('auth.signOut', { unstoredReads: 3 });
    expect((await refused(read('9QQQ999'), crop())).code).toBe('forbidden');
    const admin = await enabledUser(adminSecret, 'aud1', ['auditor']);
    await signInAs('aud1', admin);
    const log = await call<
      { username: string; action: string; detail: string | null; terms: Record<string, string> | null }[]
    >('audit.entries', { purpose, filter: {} });
    expect(log.find((e) => e.action === 'capture.start')).toMatchObject({
      username: 'op1',
      terms: { cameras: 'Front (front)' },
    });
    expect(
      log.find(
        (e) =>
          e.action === 'auth.signOut' &&
          e.username === 'op1' &&
          /capture stopped after 2 reads; 3 reads that could not be stored were given up by the officer/.test(
            e.detail ?? '',
          ),
      ),
    ).toBeTruthy();
    // Reads are not logged one by one (capture is not an access to stored data).
    expect(log.some((e) => e.action === 'capture.addRead')).toBe(false);
  }, 60_000);

  it('warns at 80% of the storage quota and stops storing overviews at 95%, never the read', async () => {
    let used = 0.5;
    backend = createBackend({
      db,
      now: () => t,
      storage: { estimate: async () => ({ usage: used * 1e9, quota: 1e9 }), persisted: async () => true },
    });
    const adminSecret = await setup();
    const opSecret = await enabledUser(adminSecret, 'op1', ['operator']);
    await signInAs('op1', opSecret);
    const { token } = await call<{ token: string }>('capture.start', { cameras: [camera] });
    const add = () =>
      call<{ overviewStored: boolean; storageWarning: string | null }>('capture.addRead', {
        token,
        read: read('7ABC123'),
        crop: crop(),
        overview: new Uint8Array([1, 2, 3]),
      });
    expect(await add()).toMatchObject({ overviewStored: true, storageWarning: null });
    used = 0.85;
    t += 10_000; // the estimate is re-read every few seconds
    expect(await add()).toMatchObject({
      overviewStored: true,
      storageWarning: expect.stringMatching(/85% full/),
    });
    used = 0.96;
    t += 10_000;
    const full = await add();
    expect(full).toMatchObject({
      overviewStored: false,
      storageWarning: expect.stringMatching(/no longer stored/),
    });
    expect(await db.reads.count()).toBe(3);
    expect((await db.readImages.toArray()).filter((r) => r.overview).length).toBe(2);
  }, 60_000);

  it('opening a stored read needs reads.view and a stated purpose; each attempt is logged with the read id', async () => {
    const adminSecret = await setup();
    const opSecret = await enabledUser(adminSecret, 'op1', ['operator']);
    const invSecret = await enabledUser(adminSecret, 'inv1', ['operator', 'investigator']);
    await signInAs('op1', opSecret);
    const { token } = await call<{ token: string }>('capture.start', { cameras: [camera] });
    const { id } = await call<{ id: string }>('capture.addRead', {
      token,
      read: read('7ABC123'),
      crop: crop(),
      overview: new Uint8Array([7, 8, 9]),
    });
    const stated = { category: 'criminal-investigation', reference: 'CR26-004512' };
    // An operator without reads.view sees reads go by but cannot open a stored one, purpose or not.
    expect((await fail('reads.get', { purpose: stated, id })).code).toBe('forbidden');
    await call('auth.signOut');
    await signInAs('inv1', invSecret);
    expect((await fail('reads.get', { id })).code).toBe('purpose-refused');
    expect(
      (await fail('reads.get', { purpose: { category: 'audit', reference: 'investigation' }, id })).code,
    ).toBe('purpose-refused');
    expect((await fail('reads.get', { purpose: stated, id: 'not-an-id' })).code).toBe('bad-input');
    expect((await fail('reads.get', { purpose: stated, id: '0'.repeat(26) })).code).toBe('not-found');
    const shown = await call<{
      id: string;
      plate: string;
      operatorId: string;
      gps: { lat: number } | null;
      crop: Uint8Array;
      overview: Uint8Array | null;
    }>('reads.get', { purpose: stated, id });
    expect(shown).toMatchObject({ id, plate: '7ABC123', operatorId: 'op1', gps: { lat: 38.58 } });
    expect([...shown.crop]).toEqual([...crop()]);
    expect([...shown.overview!]).toEqual([7, 8, 9]);
    await call('auth.signOut');
    const audSecret = await enabledUser(adminSecret, 'aud1', ['auditor']);
    await signInAs('aud1', audSecret);
    const log = await call<
      {
        username: string;
        action: string;
        outcome: string;
        terms: Record<string, string> | null;
        purpose: { reference: string } | null;
        caseNumber: string | null;
        detail: string | null;
      }[]
    >('audit.entries', { purpose, filter: { action: 'reads.get' } });
    expect(log.map((e) => `${e.username}:${e.outcome}`)).toEqual([
      'op1:refused',
      'inv1:refused',
      'inv1:refused',
      'inv1:refused',
      'inv1:refused',
      'inv1:ok',
    ]);
    expect(log.at(-2)!.detail).toMatch(/No stored read has that id/);
    expect(log.at(-1)).toMatchObject({
      terms: { readId: id },
      purpose: { reference: 'CR26-004512' },
      caseNumber: 'CR26-004512',
    });
  }, 60_000);

  it('only roles with capture.run may start capture', async () => {
    const adminSecret = await setup();
    await signInAdmin(adminSecret);
    expect((await fail('capture.start', { cameras: [camera] })).code).toBe('forbidden');
  });
});

describe('hits', () => {
  const camera = { id: 'cam-front', name: 'Front', position: 'front' };
  const read = readOf;
  const crop = () => new Uint8Array([0xff, 0xd8, 9]);
  type Alert = {
    id: string;
    matches: { listName: string; kind: string; stale: boolean; entry: { plate: string } }[];
  } | null;

  it('a list whose source allows one substitution matches a read one character off, ranked as such', async () => {
    const adminSecret = await setup();
    const opSecret = await enabledUser(adminSecret, 'op1', ['operator']);
    await signInAdmin(adminSecret);
    await importNcic(); // ABC123
    expect(
      (await fail('hotlists.saveSource', { format: 'ncic', origin: 'file', substitutions: 2 })).message,
    ).toMatch(/must be 0 or 1/);
    await call('hotlists.saveSource', { format: 'ncic', origin: 'file', substitutions: 1 });
    await call('auth.signOut');
    await signInAs('op1', opSecret);
    const { token } = await call<{ token: string }>('capture.start', { cameras: [camera] });
    const add = async (plate: string) =>
      (
        await call<{ hit: Alert }>('capture.addRead', {
          token,
          read: read(plate),
          crop: crop(),
          overview: null,
        })
      ).hit;
    expect((await add('ABC129'))?.matches[0]).toMatchObject({
      kind: 'substitution',
      entry: { plate: 'ABC123' },
    });
    expect(await add('ABX129')).toBeNull(); // two characters off
  });

  it('a read on a hot list raises a hit; verification goes step by step, all logged; an unapproved local entry never matches', async () => {
    const adminSecret = await setup();
    const opSecret = await enabledUser(adminSecret, 'op1', ['operator']);
    await signInAdmin(adminSecret);
    await importNcic();
    await call('auth.signOut');
    await signInAs('op1', opSecret);
    // A local entry entered by the officer, not yet approved by an administrator.
    await call('hotlists.enterLocal', {
      plate: '7XYZ555',
      state: 'CA',
      list: 'STOLEN',
      synopsis: 'Vehicle taken from a dealership lot overnight',
      caseNumber: '26-000777',
      priority: 'high',
    });
    const { token } = await call<{ token: string }>('capture.start', { cameras: [camera] });
    const add = async (r: ReturnType<typeof read>) =>
      await call<{ hit: Alert; hotListsReady: boolean }>('capture.addRead', {
        token,
        read: r,
        crop: crop(),
        overview: null,
      });

    const miss = await add(read('7XYZ555'));
    expect(miss).toMatchObject({ hit: null, hotListsReady: true });
    const exact = (await add(read('ABC123'))).hit!;
    expect(exact.matches[0]).toMatchObject({
      listName: 'NCIC',
      kind: 'exact',
      stale: false,
      entry: { plate: 'ABC123' },
    });
    // A look-alike in an alternate reading still raises it, ranked as such.
    const alike = (await add(read('XBC999', ['A8C123']))).hit!;
    expect(alike.matches[0]).toMatchObject({ kind: 'look-alike' });

    // Verification in order; a stop cannot rest on the alert alone.
    expect(
      (
        await fail('hits.record', {
          id: exact.id,
          step: { kind: 'disposition', outcome: 'stop-made', note: null },
        })
      ).message,
    ).toMatch(/visual check first/);
    await call('hits.record', { id: exact.id, step: { kind: 'visual', result: 'match', note: null } });
    expect(
      (
        await fail('hits.record', {
          id: exact.id,
          step: { kind: 'disposition', outcome: 'stop-made', note: null },
        })
      ).message,
    ).toMatch(/alert alone/);
    const confirmed = await call<{ state: { status: string; actionable: boolean } }>('hits.record', {
      id: exact.id,
      step: { kind: 'dispatch', confirmedBy: 'Dispatcher 12', stillOfInterest: true, note: null },
    });
    expect(confirmed.state).toMatchObject({ status: 'verified', actionable: true });
    await call('hits.record', {
      id: exact.id,
      step: { kind: 'disposition', outcome: 'stop-made', note: 'driver detained' },
    });
    await call('hits.record', {
      id: alike.id,
      step: { kind: 'visual', result: 'misread', note: 'X read as A' },
    });
    await call('hits.record', {
      id: alike.id,
      step: { kind: 'disposition', outcome: 'misread', note: null },
    });

    const shift = await call<{
      hits: { id: string; state: { status: string } }[];
      cameras: { camera: string; misreadRate: number }[];
    }>('hits.list', {});
    expect(shift.hits.map((h) => h.state.status).sort()).toEqual(['closed', 'closed']);
    expect(shift.cameras).toEqual([{ camera: 'Front (front)', hits: 2, misreads: 1, misreadRate: 0.5 }]);
    const detail = await call<{ crop: Uint8Array; steps: unknown[] }>('hits.get', { id: exact.id });
    expect(Array.from(detail.crop)).toEqual([0xff, 0xd8, 9]);
    expect(detail.steps).toHaveLength(3);
    // Nothing of the hits is in the clear at rest.
    const raw = JSON.stringify([await db.hits.toArray(), await db.hitEvents.toArray()]);
    expect(raw).not.toContain('ABC123');
    expect(raw).not.toContain('Dispatcher 12');
    await call('auth.signOut');
    const auditor = await enabledUser(adminSecret, 'aud1', ['auditor']);
    await signInAs('aud1', auditor);
    const log = await call<{ username: string; action: string; terms: Record<string, string> | null }[]>(
      'audit.entries',
      {
        purpose,
        filter: { action: 'hits.record' },
      },
    );
    expect(log.filter((e) => e.username === 'op1' && e.terms?.['step']).map((e) => e.terms!['step'])).toEqual(
      expect.arrayContaining(['visual', 'dispatch', 'disposition']),
    );
  }, 60_000);
});
