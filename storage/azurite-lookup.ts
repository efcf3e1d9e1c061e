/**
 * A faster row lookup for the embedded Azurite, run inside its process by the launcher
 * (azurite-launcher.ts). Azurite finds a row with LokiJS's `findOne({ PartitionKey, RowKey })`
 * for every point read and before every insert, update, merge and delete. LokiJS uses the binary
 * index of the first key only and compares the second with every row that matched the first: each
 * write costs the size of its partition, so filling one partition is quadratic (a plan import of
 * 5 000 actions puts 20 000 rows in the week's log partition: 22 of the 28 s Azurite was busy went
 * to that loop).
 *
 * The same lookup with RowKey first uses RowKey's index, which holds a few rows per key (a row key
 * repeats only across partitions), and then compares the partition key of those few. An index
 * match is checked with `===` in LokiJS, so the result is the same row; it is checked again here,
 * and a collection without a RowKey index keeps Azurite's own lookup. Nothing else changes: the
 * stored data, queries (a query of one partition has its own shortcut, azurite-query.ts) and every
 * error.
 *
 * Plain JavaScript in a string, like the launcher, so the same text runs from `dist/` and from the
 * TypeScript sources under ts-jest; `loki` is the LokiJS module Azurite loaded.
 */
export const KEY_LOOKUP_SOURCE = `
const findOne = loki.Collection.prototype.findOne;
if (!findOne.kraftsamlaKeyLookup) {
  const keyLookup = function (query) {
    const keys = query && typeof query === 'object' ? Object.keys(query) : [];
    if (
      keys.length === 2 &&
      typeof query.PartitionKey === 'string' &&
      typeof query.RowKey === 'string' &&
      this.binaryIndices &&
      this.binaryIndices.RowKey
    ) {
      const found = findOne.call(this, { RowKey: query.RowKey, PartitionKey: query.PartitionKey });
      if (found === null || (found.PartitionKey === query.PartitionKey && found.RowKey === query.RowKey)) return found;
    }
    return findOne.call(this, query);
  };
  keyLookup.kraftsamlaKeyLookup = true;
  loki.Collection.prototype.findOne = keyLookup;
}
`;

/** The launcher's lines that load LokiJS as Azurite does (from `tableDir`) and apply the lookup. */
export function keyLookupLauncherSource(tableDir: string): string {
  return `{
const loki = require(require.resolve('lokijs', { paths: [${JSON.stringify(tableDir)}] }));
${KEY_LOOKUP_SOURCE}
}`;
}
