import { useEffect, useMemo, useState } from 'react';
import { directoryContracts, type PersonSummary } from '../../lambdas/contracts/directory';
import { get } from './api';

/*
 * People of an organisation (GET /api/people), asked once per organisation and page load: the document
 * view, its trail and the assign form all need the same list.
 */

const cache = new Map<string, Promise<PersonSummary[]>>();

function load(orgId: string): Promise<PersonSummary[]> {
  let people = cache.get(orgId);
  if (!people) {
    people = get(
      `/api/people?orgId=${encodeURIComponent(orgId)}`,
      directoryContracts['GET /api/people'].response,
    );
    // A failure is not kept: the next screen asks again.
    people.catch(() => cache.delete(orgId));
    cache.set(orgId, people);
  }
  return people;
}

/** Forgets every list (on sign-out: another person may see other organisations). */
export function forgetPeople(): void {
  cache.clear();
}

export function usePeople(orgId: string | undefined): PersonSummary[] | undefined {
  const [people, setPeople] = useState<PersonSummary[] | undefined>();
  useEffect(() => {
    if (!orgId) return;
    let live = true;
    load(orgId).then(
      (list) => live && setPeople(list),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [orgId]);
  return people;
}

/** `Nguyễn Văn A (Chủ tịch)` by person id. */
export function usePeopleNames(orgId: string | undefined): ReadonlyMap<string, string> {
  const people = usePeople(orgId);
  return useMemo(() => new Map((people ?? []).map((p) => [p.id, `${p.name} (${p.title})`])), [people]);
}
