import { validateXML } from 'xmllint-wasm';
import type { SchemaCheck } from './parse';

/*
 * The edXML schema check: libxml2's XSD validator (xmllint compiled to WebAssembly, no native code), run
 * on a package's skeleton (attachments out) or a status message. The schema is data: its text is given
 * (lambdas/core/exchange/qcvn-102-2016.xsd, read by whoever wires this in).
 */
export function schemaCheck(schemaText: string): SchemaCheck {
  const schema = { fileName: 'qcvn-102-2016.xsd', contents: schemaText };
  return async (xml) => {
    const result = await validateXML({ xml: { fileName: 'package.xml', contents: xml }, schema });
    return result.valid
      ? []
      : result.errors.map((e) => e.message.replace(/^package\.xml:\d+:\s*/, '').trim());
  };
}
