import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { dynamoClient } from '../lambdas/adapters/aws-clients';
import { cognitoSignInAccounts } from '../lambdas/adapters/sign-in-accounts';
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
  --people        the people CSV: person_id, full_name, org_id, role, email; optional rank, title, unit_code,
                  and left_on with successor_id for a person who left (pending work goes to the successor)
  --dry-run       print the plan (what would be created, updated, left unchanged) and write nothing
  --verbose       list unchanged organisations, people and users too
  --region        AWS region of the stage (default: the SDK's, e.g. AWS_REGION or the profile's)
  --table         the directory table (the stack's DirectoryTableName output); default: found by stage
  --user-pool-id  the user pool (the stack's UserPoolId output); default: the pool named docflow-<stage>
  --skip-users    load the directory table only, no Cognito users
Exit: 0 done, 1 invalid input or conflict (nothing written; or people changed through the API meanwhile,
      left as they are), 2 could not run.`;

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
      // Who left keeps their user as it is: the departure disables it.
      usersPlan = planUsers(wantedUsers(parsed.rows.filter((r) => !r.departure)), await pool.listUsers());
    }
    const plan = await planDirectoryLoad({
      organisations: directory.organisations,
      people: parsed.rows.map((r) => r.person),
      departures: parsed.rows.flatMap((r) =>
        r.departure ? [{ personId: r.person.id, ...r.departure }] : [],
      ),
    });

    console.log(
      `stage ${opts.stage}: table ${table}, ${pool ? `user pool ${pool.userPoolId}` : 'no Cognito users (--skip-users)'}`,
    );
    for (const line of formatDirectoryPlan(plan, { verbose: opts.verbose })) console.log(line);
    if (usersPlan)
      for (const line of formatUsersPlan(usersPlan, { verbose: opts.verbose })) console.log(line);

    if (plan.departureProblems.length) {
      console.error(`${plan.departureProblems.length} departure(s) cannot be recorded: nothing was written.`);
      return 1;
    }
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
    const applied = await applyDirectoryPlan(plan, new Date(), {
      ...(pool ? { signIn: cognitoSignInAccounts(pool.userPoolId) } : {}),
    });
    for (const { personId, serial } of applied.revokedCertificates)
      console.log(`revoked certificate ${serial} of ${personId} (position changed)`);
    for (const d of applied.departures)
      console.log(
        `${d.personId} left: sign-in ${d.signIn === 'disabled' ? 'disabled' : 'none to disable'}, ` +
          `${d.revokedCertificate ? `certificate ${d.revokedCertificate} revoked, ` : ''}` +
          `${d.handedOver.length} pending document(s) handed to ${d.successorId}`,
      );
    if (applied.changedMeanwhile.length) {
      console.error(
        `changed through the API since the plan, left as they are now: ${applied.changedMeanwhile.join(', ')}; run again to see the new plan.`,
      );
      if (usersPlan && pool) await applyUsersPlan(usersPlan, pool);
      return 1;
    }
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
