import { documentClient } from '../lambdas/adapters/aws-clients';
import {
  currentSignatureImage,
  listPeople,
  loadDirectory,
  recordSignatureImage,
  savePeople,
} from '../lambdas/adapters/directory-store';
import { putSignatureImage } from '../lambdas/adapters/file-store';
import { GetCommand, PutCommand } from '../lambdas/adapters/sdk-commands';
import { type PersonEntry, personFromEntry } from '../lambdas/core/domain/directory';
import { checkSignatureImage } from '../lambdas/core/domain/signature-image';
import { resourceName, tables } from '../lambdas/deployment/resources';
import { applyDirectoryPlan, planDirectoryLoad, readDirectoryData } from '../ops/directory/load';
import type { DemoUser } from './gateway';
import { signaturePng } from './signature-art';

/**
 * Demo data for a laptop: the whole Hà Nội directory from data/, and demo people in the city, two
 * departments and three wards/communes, so every role can be tried. Seeding runs once per data
 * directory; what people change afterwards (positions, documents) survives restarts. It writes through the
 * same loader as `npm run directory:load` (ops/directory/load.ts); demo users sign in through the local
 * identity provider, so there is no Cognito step here.
 */

const SEED_VERSION = 1;

type DemoPerson = Omit<PersonEntry, 'title'>;

// Fictional names; ids say who they are so that tests and the login page read well.
export const demoPeople: readonly DemoPerson[] = [
  { id: 'city-chairman', name: 'Nguyễn Văn Thành', orgId: 'ubnd-hanoi', role: 'leader', rank: 'head' },
  { id: 'city-vice-chairman', name: 'Trần Thị Hương', orgId: 'ubnd-hanoi', role: 'leader', rank: 'deputy' },
  { id: 'city-specialist', name: 'Lê Minh Châu', orgId: 'ubnd-hanoi', role: 'specialist', unitCode: 'VX' },
  { id: 'city-clerk', name: 'Phạm Thu Dung', orgId: 'ubnd-hanoi', role: 'clerk' },
  { id: 'city-auditor', name: 'Hoàng Quốc Bảo', orgId: 'ubnd-hanoi', role: 'auditor' },
  { id: 'city-admin', name: 'Vũ Thị Giang', orgId: 'ubnd-hanoi', role: 'admin' },
  // A second administrator: a position of administrator or auditor is given only when another approves it.
  { id: 'city-admin-2', name: 'Đoàn Minh Khôi', orgId: 'ubnd-hanoi', role: 'admin' },
  { id: 'snv-director', name: 'Đặng Văn Hải', orgId: 'so-noi-vu', role: 'leader', rank: 'head' },
  { id: 'snv-specialist', name: 'Bùi Thị Lan', orgId: 'so-noi-vu', role: 'specialist' },
  { id: 'snv-clerk', name: 'Ngô Văn Khoa', orgId: 'so-noi-vu', role: 'clerk' },
  { id: 'stc-director', name: 'Đỗ Thị Mai', orgId: 'so-tai-chinh', role: 'leader', rank: 'head' },
  { id: 'stc-specialist', name: 'Lý Văn Nam', orgId: 'so-tai-chinh', role: 'specialist' },
  { id: 'stc-clerk', name: 'Trịnh Thị Oanh', orgId: 'so-tai-chinh', role: 'clerk' },
  { id: 'ba-dinh-chairman', name: 'Phan Văn Phúc', orgId: 'phuong-ba-dinh', role: 'leader', rank: 'head' },
  {
    id: 'ba-dinh-vice-chairman',
    name: 'Tạ Thị Quyên',
    orgId: 'phuong-ba-dinh',
    role: 'leader',
    rank: 'deputy',
  },
  { id: 'ba-dinh-specialist', name: 'Mai Văn Sơn', orgId: 'phuong-ba-dinh', role: 'specialist' },
  { id: 'ba-dinh-clerk', name: 'Cao Thị Tâm', orgId: 'phuong-ba-dinh', role: 'clerk' },
  { id: 'hoan-kiem-chairman', name: 'Lưu Văn Uy', orgId: 'phuong-hoan-kiem', role: 'leader', rank: 'head' },
  { id: 'hoan-kiem-specialist', name: 'Kiều Thị Vân', orgId: 'phuong-hoan-kiem', role: 'specialist' },
  { id: 'hoan-kiem-clerk', name: 'Đinh Văn Xuân', orgId: 'phuong-hoan-kiem', role: 'clerk' },
  { id: 'soc-son-chairman', name: 'Hà Thị Yến', orgId: 'xa-soc-son', role: 'leader', rank: 'head' },
  { id: 'soc-son-specialist', name: 'Quách Văn Toàn', orgId: 'xa-soc-son', role: 'specialist' },
  { id: 'soc-son-clerk', name: 'La Thị Ánh', orgId: 'xa-soc-son', role: 'clerk' },
];

/**
 * Every demo official (the leaders, who sign) gets a generated blue signature image, registered as the
 * API would (checked, kept in the archive under its hash, recorded under the person), unless they have
 * one already: a data directory seeded before images existed gets them on its next start, and an image
 * someone registered is never replaced.
 */
async function seedSignatureImages(log: (line: string) => void): Promise<void> {
  let added = 0;
  for (const official of demoPeople.filter((p) => p.role === 'leader')) {
    if (await currentSignatureImage(official.id)) continue;
    const bytes = signaturePng(official.name);
    const { width, height } = checkSignatureImage(bytes);
    const sha256 = await putSignatureImage(official.id, bytes);
    await recordSignatureImage(official.id, {
      sha256,
      width,
      height,
      bytes: bytes.length,
      uploadedAt: new Date().toISOString(),
    });
    added++;
  }
  if (added > 0) log(`  signature images generated for ${added} demo officials (blue, transparent PNG)`);
}

/**
 * Demo people added to the list after a data directory was seeded get their position on its next start;
 * people already there keep theirs, whatever happened to them since.
 */
async function seedLaterPeople(log: (line: string) => void): Promise<void> {
  const known = new Set((await listPeople()).map((p) => p.id));
  const missing = demoPeople.filter((p) => !known.has(p.id));
  if (missing.length === 0) return;
  const directory = await loadDirectory();
  await savePeople(missing.map((demo) => personFromEntry(directory, demo)));
  log(`  demo data        added ${missing.map((p) => p.id).join(', ')}`);
}

export interface SeedResult {
  readonly demoUsers: () => Promise<readonly DemoUser[]>;
}

export async function seed({ log }: { log: (line: string) => void }): Promise<SeedResult> {
  const table = resourceName(tables.directory);
  const marker = await documentClient().send(
    new GetCommand({ TableName: table, Key: { pk: 'SEED', sk: 'directory' } }),
  );
  if (marker.Item?.version === SEED_VERSION) {
    log('  demo data        already seeded (start with --fresh to reseed)');
  } else {
    const directory = await readDirectoryData();
    const people = demoPeople.map((demo) => personFromEntry(directory, demo));
    await applyDirectoryPlan(await planDirectoryLoad({ organisations: directory.organisations, people }));
    await documentClient().send(
      new PutCommand({ TableName: table, Item: { pk: 'SEED', sk: 'directory', version: SEED_VERSION } }),
    );
    const count = (kind: string) => directory.organisations.filter((o) => o.kind === kind).length;
    log(
      `  demo data        seeded ${directory.organisations.length} organisations (1 city, ${count('department')} agencies, ` +
        `${count('ward')} wards, ${count('commune')} communes) and ${demoPeople.length} demo users`,
    );
  }
  await seedLaterPeople(log);
  await seedSignatureImages(log);
  return {
    demoUsers: async () => {
      const directory = await loadDirectory();
      return (await listPeople()).map((person) => ({
        userId: person.id,
        name: person.name,
        orgId: person.position.orgId,
        orgName: directory.get(person.position.orgId).name,
        role: person.position.role,
        title: person.position.title,
      }));
    },
  };
}
