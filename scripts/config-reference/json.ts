// JSON as Prettier writes it (printWidth 110), so a generated file passes `prettier --check`:
// objects and arrays of scalars on one line when they fit, everything else one entry a line.
const WIDTH = 110;

const isScalar = (value: unknown) => value === null || typeof value !== 'object';

function write(value: unknown, indent: string, prefixLength: number): string {
  if (isScalar(value)) return JSON.stringify(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every(isScalar)) {
      const flat = `[${value.map((v) => JSON.stringify(v)).join(', ')}]`;
      // the line also holds the indent, the key and a trailing comma
      if (prefixLength + flat.length + 1 <= WIDTH) return flat;
    }
    return `[\n${value.map((v) => inner + write(v, inner, inner.length)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  if (entries.every(([, v]) => isScalar(v) || (Array.isArray(v) && v.every(isScalar)))) {
    const flat = `{ ${entries.map(([key, v]) => `${JSON.stringify(key)}: ${write(v, '', 0)}`).join(', ')} }`;
    if (!flat.includes('\n') && prefixLength + flat.length + 1 <= WIDTH) return flat;
  }
  const lines = entries.map(([key, v]) => {
    const head = `${inner}${JSON.stringify(key)}: `;
    return head + write(v, inner, head.length);
  });
  return `{\n${lines.join(',\n')}\n${indent}}`;
}

export const prettierJson = (value: unknown): string => `${write(value, '', 0)}\n`;
