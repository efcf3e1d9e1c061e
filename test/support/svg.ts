/**
 * Reads a chart's SVG back as a tree, strictly: tags must nest and close, attributes are quoted and
 * not repeated, and text may hold no raw `<` or `&` other than the five XML entities. A chart that
 * is not well-formed XML, or that lets markup through, fails here before any assertion on it.
 */
export interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  /** The node's own text (not its children's), entities decoded. */
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };

function decode(raw: string, where: string): string {
  if (/[<>]/.test(raw)) throw new Error(`raw < or > in ${where}: ${raw}`);
  return raw.replace(/&([^;\s]*);?/g, (m, name: string) => {
    if (!m.endsWith(';') || !(name in ENTITIES)) throw new Error(`bad entity ${m} in ${where}`);
    return ENTITIES[name]!;
  });
}

export function parseXml(source: string): XmlNode {
  const root: XmlNode = { name: '#root', attrs: {}, children: [], text: '' };
  const stack = [root];
  const tag = /<(\/?)([A-Za-z][\w.-]*)((?:\s+[\w:-]+="[^"]*")*)\s*(\/?)>/y;
  let i = 0;
  while (i < source.length) {
    const lt = source.indexOf('<', i);
    const text = source.slice(i, lt < 0 ? source.length : lt);
    if (text) stack.at(-1)!.text += decode(text, `text of <${stack.at(-1)!.name}>`);
    if (lt < 0) break;
    tag.lastIndex = lt;
    const m = tag.exec(source);
    if (!m) throw new Error(`not a tag at ${lt}: ${source.slice(lt, lt + 60)}`);
    const [whole, closing, name, attrText, selfClosing] = m;
    if (closing) {
      const open = stack.pop();
      if (!open || open.name !== name) throw new Error(`</${name}> closes <${open?.name}>`);
    } else {
      const attrs: Record<string, string> = {};
      for (const a of attrText!.matchAll(/([\w:-]+)="([^"]*)"/g)) {
        if (a[1]! in attrs) throw new Error(`attribute ${a[1]} twice on <${name}>`);
        attrs[a[1]!] = decode(a[2]!, `${name}@${a[1]}`);
      }
      const node: XmlNode = { name: name!, attrs, children: [], text: '' };
      stack.at(-1)!.children.push(node);
      if (!selfClosing) stack.push(node);
    }
    i = lt + whole!.length;
  }
  if (stack.length !== 1) throw new Error(`<${stack.at(-1)!.name}> is not closed`);
  if (root.children.length !== 1) throw new Error(`expected one root element, got ${root.children.length}`);
  return root.children[0]!;
}

export function findAll(node: XmlNode, test: (n: XmlNode) => boolean, out: XmlNode[] = []): XmlNode[] {
  if (test(node)) out.push(node);
  for (const c of node.children) findAll(c, test, out);
  return out;
}

export const hasClass = (n: XmlNode, cls: string) => (n.attrs.class ?? '').split(/\s+/).includes(cls);

/** The element's text and its descendants', in document order. */
export function textOf(node: XmlNode): string {
  return node.text + node.children.map(textOf).join('');
}

/** The `<title>` child's text. */
export const titleOf = (n: XmlNode) => n.children.find((c) => c.name === 'title')?.text;

/** The data elements (`data-value`), in document order. */
export const dataElements = (svg: XmlNode) =>
  findAll(svg, (n) => 'data-series' in n.attrs && 'data-value' in n.attrs && n.name !== 'td');

/**
 * The series as the SVG carries them: per series key, a value (or null) per category, in the
 * order of `categories`. A category with no element for the series is null.
 */
export function readSeries(svg: XmlNode, categories: string[]): Record<string, (number | null)[]> {
  const out: Record<string, (number | null)[]> = {};
  for (const el of dataElements(svg)) {
    const key = el.attrs['data-series']!;
    out[key] ??= categories.map(() => null);
    const at = categories.indexOf(el.attrs['data-category']!);
    if (at < 0) throw new Error(`unknown category ${el.attrs['data-category']}`);
    if (out[key]![at] !== null) throw new Error(`${key} has two elements for ${el.attrs['data-category']}`);
    out[key]![at] = Number(el.attrs['data-value']);
  }
  return out;
}

/** The value axis as drawn: each tick's value and its y, from which any value's y follows. */
export function ticks(svg: XmlNode): { value: number; y: number }[] {
  return findAll(svg, (n) => hasClass(n, 'ks-tick')).map((n) => ({
    value: Number(n.attrs['data-value']),
    y: Number(n.attrs.y),
  }));
}

/** The y a value has on the drawn axis, interpolated between its first and last tick. */
export function yOnAxis(svg: XmlNode, value: number): number {
  const t = ticks(svg);
  const [a, b] = [t[0]!, t.at(-1)!];
  return a.y + ((value - a.value) / (b.value - a.value)) * (b.y - a.y);
}

/** Every `<svg>…</svg>` in an HTML page, parsed. */
export function svgsIn(html: string): XmlNode[] {
  return [...html.matchAll(/<svg[\s\S]*?<\/svg>/g)].map((m) => parseXml(m[0]));
}
