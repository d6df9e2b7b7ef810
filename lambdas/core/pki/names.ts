import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import * as z from 'zod';
import { derOf, parseDer } from './asn1';
import type { Der } from './der';
import { OID } from './oids';

const buildDistinguishedNameSchema = () =>
  z.object({
    commonName: z.string().min(1).max(64),
    title: z.string().min(1).max(64).optional(),
    organizationalUnit: z.string().min(1).max(64).optional(),
    organization: z.string().min(1).max(64).optional(),
    locality: z.string().min(1).max(128).optional(),
    stateOrProvince: z.string().min(1).max(128).optional(),
    country: z
      .string()
      .regex(/^[A-Z]{2}$/)
      .optional(),
  });
let distinguishedName: ReturnType<typeof buildDistinguishedNameSchema> | undefined;
/**
 * A subject or issuer name. Vietnamese text is kept as UTF8String (RFC 5280 §4.1.2.6). Built on first use:
 * reading names (verifying) needs no zod.
 */
export const distinguishedNameSchema = () => (distinguishedName ??= buildDistinguishedNameSchema());
export type DistinguishedName = z.infer<ReturnType<typeof buildDistinguishedNameSchema>>;

// Most general first, as X.500 names are usually written in certificates.
const ORDER: ReadonlyArray<[keyof DistinguishedName, string, string]> = [
  ['country', OID.country, 'C'],
  ['stateOrProvince', OID.stateOrProvince, 'ST'],
  ['locality', OID.locality, 'L'],
  ['organization', OID.organization, 'O'],
  ['organizationalUnit', OID.organizationalUnit, 'OU'],
  ['title', OID.title, 'T'],
  ['commonName', OID.commonName, 'CN'],
];

/**
 * Builds an X.501 Name with one attribute per RDN. pkijs's RelativeDistinguishedNames would put every
 * attribute into a single multi-valued RDN, which validators print as "CN=a+O=b"; so the DER is built here
 * and handed to pkijs already encoded.
 */
export function encodeName(name: DistinguishedName): pkijs.RelativeDistinguishedNames {
  const parsed = distinguishedNameSchema().parse(name);
  const rdns: asn1js.Set[] = [];
  for (const [key, oid] of ORDER) {
    const value = parsed[key];
    if (value === undefined) continue;
    const encoded =
      key === 'country' ? new asn1js.PrintableString({ value }) : new asn1js.Utf8String({ value });
    rdns.push(
      new asn1js.Set({
        value: [new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: oid }), encoded] })],
      }),
    );
  }
  const der = derOf(new asn1js.Sequence({ value: rdns }));
  return new pkijs.RelativeDistinguishedNames({ schema: parseDer(der, 'name') });
}

/**
 * Reads the attributes docflow knows from a Name (read with `Der`, as received); unknown attributes are
 * ignored, except in `display`. Every attribute of every RDN counts, in order, as pkijs lists them.
 */
export function decodeName(name: Der): DistinguishedName & { display: string } {
  const out: Partial<Record<keyof DistinguishedName, string>> = {};
  const parts: string[] = [];
  for (const rdn of name.items('Name')) {
    for (const atv of rdn.items('RelativeDistinguishedName')) {
      const [typeDer, valueDer] = atv.items('AttributeTypeAndValue');
      if (!typeDer || !valueDer) throw new Error('malformed DER in name: incomplete attribute');
      const type = typeDer.oid();
      const entry = ORDER.find(([, oid]) => oid === type);
      const value = valueDer.string();
      if (entry) out[entry[0]] = value;
      parts.push(`${entry?.[2] ?? type}=${value}`);
    }
  }
  return {
    commonName: out.commonName ?? '',
    ...(out.title ? { title: out.title } : {}),
    ...(out.organizationalUnit ? { organizationalUnit: out.organizationalUnit } : {}),
    ...(out.organization ? { organization: out.organization } : {}),
    ...(out.locality ? { locality: out.locality } : {}),
    ...(out.stateOrProvince ? { stateOrProvince: out.stateOrProvince } : {}),
    ...(out.country ? { country: out.country } : {}),
    display: parts.reverse().join(', '),
  };
}
