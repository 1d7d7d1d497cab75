/**
 * A block of `Name: value` fields as in RFC 5322 headers and RFC 3464 delivery-status
 * groups, names lowercased, folded lines joined. Malformed lines are ignored: the block
 * comes from a stranger's mail server.
 */
export type Fields = Map<string, string[]>;

/** Reads fields from `text` up to its first empty line (or the end). */
export function parseFields(text: string): Fields {
  const fields: Fields = new Map();
  let current: { name: string; value: string } | undefined;
  const flush = () => {
    if (!current) return;
    const values = fields.get(current.name) ?? [];
    values.push(current.value.replace(/\s+/g, ' ').trim());
    fields.set(current.name, values);
    current = undefined;
  };
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') break;
    if (/^[ \t]/.test(line)) {
      if (current) current.value += ' ' + line.trim();
      continue;
    }
    flush();
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim().toLowerCase() : '';
    if (/^[\x21-\x39\x3b-\x7e]+$/.test(name)) current = { name, value: line.slice(colon + 1) };
  }
  flush();
  return fields;
}

/** The first value of a field, if any. */
export function first(fields: Fields, name: string): string | undefined {
  return fields.get(name)?.[0];
}

/** Splits a delivery-status body into its groups (separated by empty lines). */
export function fieldGroups(text: string): Fields[] {
  return text
    .split(/\r?\n(?:[ \t]*\r?\n)+/)
    .map((block) => parseFields(block.replace(/^(?:[ \t]*\r?\n)+/, '')))
    .filter((group) => group.size > 0);
}

/**
 * The header block at the top of a raw message. Read as latin1 so that any byte survives;
 * only ASCII names and values (addresses, ids, dates) are used from it.
 */
export function topHeaders(raw: Buffer, limit = 1024 * 1024): Fields {
  const head = raw.subarray(0, limit);
  const lf = head.indexOf('\n\n');
  const crlf = head.indexOf('\r\n\r\n');
  const ends = [lf, crlf].filter((i) => i >= 0);
  const end = ends.length > 0 ? Math.min(...ends) : head.length;
  return parseFields(head.subarray(0, end).toString('latin1'));
}
