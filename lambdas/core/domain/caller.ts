import type { Actor } from './actor';
import type { Directory } from './directory';

/**
 * Who is asking, as the directory says now: the signed-in person with their current position (never what
 * their token claims), and the directory their request is judged against. Resolved once per request by the
 * HTTP layer and passed to every use case.
 */
export interface Caller {
  readonly actor: Actor;
  readonly directory: Directory;
  /** The moment the request is judged at, where it matters (delegations in force); the clock when absent. */
  readonly at?: Date;
}
