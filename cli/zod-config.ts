import * as z from 'zod';

// Imported first by the commands that use zod (verify-evidence, verify-proof; verifying a PDF uses none). A
// process that parses each schema once or twice: zod's JIT (parsing code generated and compiled when a
// schema is built) costs more here than it saves.
z.config({ jitless: true });
