import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { dynamoClient } from '../lambdas/adapters/aws-clients';
import { tables } from '../lambdas/deployment/resources';
import { StageSchema } from '../lib/config';
import { type CognitoUserPool, openCognitoUserPool } from './directory/cognito';
import { applyDirectoryPlan, planDirectoryLoad, readDirectoryData } from './directory/load';
import { formatRowError, parsePeopleCsv } from './directory/people-csv';
import { formatDirectoryPlan, hasWrites } from './directory/plan';
import { pickDirectoryTable } from './directory/stage';
import {
  applyUsersPlan,
  formatUsersPlan,
  planUsers,
  type UsersPlan,
  wantedUsers,
} from './directory/users-plan';

/*
 * npm run directory:load: loads the organisations of data/ and the people of a CSV into a deployed stage's
 * directory table and user pool (docs/DEPLOY.md, "Load the directory"). Everything is validated and
 * planned before the first write; a second run with the same files writes nothing.
 * Exit codes: 0 loaded (or planned, with --dry-run); 1 bad input or a conflict, nothing written;
 * 2 could not run (usage, unreadable file, AWS error).
 */

const USAGE = `Usage: npm run directory:load -- --stage <stage> --people <people.csv> [--dry-run] [--verbose]
         [--region <region>] [--table <name>] [--user-pool-id <id>] [--skip-users]

  --stage         the stage (dev, prod…) whose directory table and user pool are loaded
  --people        the people CSV: person_id, full_name, org_id, role, email; optional rank, title, unit_code
  --dry-run       print the plan (what would be created, updated, left unchanged) and write nothing
  --verbose       list unchanged organisations, people and users too
  --region        AWS region of the stage (default: the SDK's, e.g. AWS_REGION or the profile's)
  --table         the directory table (the stack's DirectoryTableName output); default: found by stage
  --user-pool-id  the user pool (the stack's UserPoolId output); default: the pool named docflow-<stage>
  --skip-users    load the directory table only, no Cognito users
Exit: 0 done, 1 invalid input or conflict (nothing written), 2 could not run.`;

class UsageError extends Error {}

/** Set once the first write starts, to tell the operator whether a failure left anything half-done. */
let writing = false;

function options() {
  try {
    const { values } = parseArgs({
      options: {
        stage: { type: 'string' },
        people: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        verbose: { type: 'boolean', default: false },
        region: { type: 'string' },
        table: { type: 'string' },
        'user-pool-id': { type: 'string' },
        'skip-users': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
    if (values.help) return undefined;
    if (!values.stage) throw new UsageError('--stage is required');
    const stage = StageSchema.safeParse(values.stage);
    if (!stage.success) throw new UsageError(`--stage ${values.stage}: ${stage.error.issues[0]?.message}`);
    if (!values.people) throw new UsageError('--people is required');
    return { ...values, stage: stage.data, people: values.people };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError((error as Error).message);
  }
}

/** The table as the Lambdas find it (DOCFLOW_DIRECTORY_TABLE), named by the operator, or found by stage. */
async function directoryTable(stage: string, named: string | undefined): Promise<string> {
  const given = named ?? process.env[tables.directory.env];
  if (given) return given;
  const names: string[] = [];
  let ExclusiveStartTableName: string | undefined;
  do {
    const page = await (await dynamoClient().client()).send(
      new ListTablesCommand({ ExclusiveStartTableName }),
    );
    names.push(...(page.TableNames ?? []));
    ExclusiveStartTableName = page.LastEvaluatedTableName;
  } while (ExclusiveStartTableName);
  return pickDirectoryTable(names, stage);
}

async function main(): Promise<number> {
  let opts: ReturnType<typeof options>;
  try {
    opts = options();
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (!opts) {
    console.log(USAGE);
    return 0;
  }
  // Before the first client is made: the SDK reads the region from the environment.
  if (opts.region) process.env.AWS_REGION = opts.region;
  process.env.DOCFLOW_STAGE = opts.stage;

  const directory = await readDirectoryData();
  const file = basename(opts.people);
  const parsed = parsePeopleCsv(await readFile(opts.people, 'utf8'), directory);
  if (!parsed.ok) {
    for (const error of parsed.errors) console.error(formatRowError(file, error));
    console.error(`${parsed.errors.length} problem(s) in ${opts.people}: nothing was written.`);
    return 1;
  }

  const table = await directoryTable(opts.stage, opts.table);
  process.env[tables.directory.env] = table;
  let pool: CognitoUserPool | undefined;
  try {
    let usersPlan: UsersPlan | undefined;
    if (!opts['skip-users']) {
      pool = await openCognitoUserPool({
        stage: opts.stage,
        userPoolId: opts['user-pool-id'],
        region: opts.region,
      });
      usersPlan = planUsers(wantedUsers(parsed.rows), await pool.listUsers());
    }
    const plan = await planDirectoryLoad({
      organisations: directory.organisations,
      people: parsed.rows.map((r) => r.person),
    });

    console.log(
      `stage ${opts.stage}: table ${table}, ${pool ? `user pool ${pool.userPoolId}` : 'no Cognito users (--skip-users)'}`,
    );
    for (const line of formatDirectoryPlan(plan, { verbose: opts.verbose })) console.log(line);
    if (usersPlan)
      for (const line of formatUsersPlan(usersPlan, { verbose: opts.verbose })) console.log(line);

    if (usersPlan?.conflicts.length) {
      for (const c of usersPlan.conflicts) console.error(`conflict, person ${c.personId}: ${c.message}`);
      console.error(`${usersPlan.conflicts.length} conflict(s): nothing was written.`);
      return 1;
    }
    if (opts['dry-run']) {
      console.log('dry run: nothing was written.');
      return 0;
    }
    const usersToWrite = usersPlan?.steps.some((s) => s.kind !== 'unchanged') ?? false;
    if (!hasWrites(plan) && !usersToWrite) {
      console.log('nothing to do: the stage already holds this directory.');
      return 0;
    }
    // The directory first: a user who can sign in must find their person there.
    writing = true;
    const applied = await applyDirectoryPlan(plan);
    for (const { personId, serial } of applied.revokedCertificates)
      console.log(`revoked certificate ${serial} of ${personId} (position changed)`);
    if (usersPlan && pool) await applyUsersPlan(usersPlan, pool);
    console.log('done.');
    return 0;
  } finally {
    pool?.close();
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(`directory:load failed: ${(error as Error).message}`);
  if (writing) console.error('Part of the plan may be written: running the same command again finishes it.');
  else console.error('Nothing was written.');
  process.exitCode = 2;
}
