import type { SigningCapacity } from '../../lambdas/contracts/documents';

/*
 * The sign form's choices, from the capacities the document view lists for the signer (the server knows
 * which they hold): one choice per kind (and per delegation for TL./TUQ.), and "also on behalf of the
 * collective body" as a box beside KT. and Q. where the view lists both ways.
 */

export interface CapacityChoice {
  /** `KT`, or `TUQ:<delegation id>`. */
  readonly key: string;
  readonly kind: SigningCapacity['kind'];
  /** The listed capacities of this choice: one, or KT./Q. alone and on behalf of the collective body. */
  readonly variants: readonly SigningCapacity[];
}

const keyOf = (c: SigningCapacity) =>
  c.kind === 'TL' || c.kind === 'TUQ' ? `${c.kind}:${c.delegationId}` : c.kind;

const collective = (c: SigningCapacity) =>
  (c.kind === 'KT' || c.kind === 'Q') && c.onBehalfOfCollective === true;

export function capacityChoices(capacities: readonly SigningCapacity[]): CapacityChoice[] {
  const choices = new Map<string, CapacityChoice>();
  for (const c of capacities) {
    const key = keyOf(c);
    const before = choices.get(key);
    choices.set(key, { key, kind: c.kind, variants: [...(before?.variants ?? []), c] });
  }
  return [...choices.values()];
}

/** Where the form starts: TM. where the signer may sign for the collective body, else the first listed. */
export function preferredChoice(choices: readonly CapacityChoice[]): CapacityChoice | undefined {
  return choices.find((c) => c.kind === 'TM') ?? choices[0];
}

/** Whether the choice may be signed both alone and on behalf of the collective body (the box). */
export function eitherWay(choice: CapacityChoice | undefined): boolean {
  const variants = choice?.variants ?? [];
  return variants.some(collective) && variants.some((c) => !collective(c));
}

/** The body of POST …/sign; without a choice, the server takes the signer's first capacity. */
export function signBody(
  choice: CapacityChoice | undefined,
  onBehalfOfCollective: boolean,
): { capacity?: string; onBehalfOfCollective?: boolean; delegationId?: string } {
  const capacity = eitherWay(choice)
    ? choice?.variants.find((c) => collective(c) === onBehalfOfCollective)
    : choice?.variants[0];
  if (!capacity) return {};
  switch (capacity.kind) {
    case 'TL':
    case 'TUQ':
      return { capacity: capacity.kind, delegationId: capacity.delegationId };
    case 'KT':
    case 'Q':
      return { capacity: capacity.kind, onBehalfOfCollective: capacity.onBehalfOfCollective === true };
    default:
      return { capacity: capacity.kind };
  }
}
