/** Escapes text and attribute values for XML. */
export function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;',
  );
}

/** An element of the edXML namespace (prefix `edXML`) and its children, undefined ones left out. */
export type Node =
  | string
  | number
  | undefined
  | Node[]
  | { readonly element: string; readonly children: Node };

export const el = (element: string, ...children: Node[]): Node => ({ element, children });

/** Writes nodes as XML text; a string or number child is text content. */
export function write(node: Node): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return escapeXml(node);
  if (typeof node === 'number') return String(node);
  if (Array.isArray(node)) return node.map(write).join('');
  if (isEmpty(node.children)) return '';
  return `<edXML:${node.element}>${write(node.children)}</edXML:${node.element}>`;
}

function isEmpty(children: Node): boolean {
  if (children === undefined) return true;
  if (Array.isArray(children)) return children.every(isEmpty);
  return false;
}
