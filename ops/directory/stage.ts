/*
 * Finding a stage's resources when the operator does not name them. CloudFormation generates the table's
 * name (`Docflow-<stage>-DataDirectory…-…`); the user pool is named `docflow-<stage>` by lib/constructs/
 * users.ts. Both are retained when a stack is deleted, so an old one may share the name: then the operator
 * must choose, with the stack's outputs DirectoryTableName and UserPoolId.
 */

export function pickDirectoryTable(tableNames: readonly string[], stage: string): string {
  const prefix = `Docflow-${stage}-DataDirectory`;
  const matches = tableNames.filter((name) => name.startsWith(prefix));
  if (matches.length === 1 && matches[0]) return matches[0];
  if (matches.length === 0)
    throw new Error(`no table named ${prefix}…: pass --table (the stack's DirectoryTableName output)`);
  throw new Error(
    `several tables are named ${prefix}… (${matches.join(', ')}): pass --table (the stack's DirectoryTableName output)`,
  );
}

export function pickUserPool(pools: readonly { Id: string; Name?: string }[], stage: string): string {
  const name = `docflow-${stage}`;
  const matches = pools.filter((p) => p.Name === name);
  if (matches.length === 1 && matches[0]) return matches[0].Id;
  if (matches.length === 0) throw new Error(`no user pool named ${name}: pass --user-pool-id`);
  throw new Error(
    `several user pools are named ${name} (${matches.map((p) => p.Id).join(', ')}): pass --user-pool-id ` +
      `(the stack's UserPoolId output)`,
  );
}
