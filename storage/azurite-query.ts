/**
 * Queries of one partition at the partition's cost in the embedded Azurite, run inside its process
 * by the launcher (azurite-launcher.ts). Azurite answers a query (LokiTableMetadataStore's
 * `queryTableEntities`) by running the OData `$filter`, parsed into a tree, over every row of the
 * table (`collection.chain().where(filter)`), then the continuation, the sort by PartitionKey and
 * RowKey and `$top`. Our repositories read one partition per query (a week of the log, a year of
 * decisions, the plan), so each read cost the whole table: a digest of the last week of a year's
 * log ran its filter on 52 weeks of rows (14 000) to return 135, and the tab's first view did that
 * for each of the 52 weeks.
 *
 * When the filter requires one partition key (`PartitionKey eq '<string>'` as a conjunct at the
 * top of the filter's tree, as Azurite's own parser reads it), the query starts from that
 * partition's rows, found by LokiJS's binary index on PartitionKey (a range by its loose
 * comparison, each row then checked with `===`), instead of from the whole table. Everything else
 * is Azurite's own code on those rows: the filter, the continuation, the sort, `$top` and, in the
 * handler, `$select`. A row outside the partition cannot pass the filter (Azurite compares the key
 * with `===` and `and` needs both sides), so the rows, their order, the pages and the continuation
 * tokens are the same. Any other filter (none, `or` across partitions, `not`, a range of partition
 * keys, a key compared with a number), a filter Azurite refuses, a table it does not know and a
 * collection without that index take Azurite's path unchanged, errors included.
 *
 * The partition's rows are handed to Azurite's query through the collection's `chain()`, which it
 * calls once, synchronously, before it reads any row: for the length of that one call the
 * collection gets its own `chain` that narrows the result set by the index, and loses it again on
 * first use or when the call returns. Were a later Azurite to read rows otherwise, the query would
 * scan the table as before, with the same result.
 *
 * Plain JavaScript in a string, like the launcher, so the same text runs from `dist/` and from the
 * TypeScript sources under ts-jest; `tableModule(name)` loads a module of Azurite's table folder
 * (`dist/src/table`) as Azurite does, so the parser's node classes are Azurite's own.
 */
export const PARTITION_QUERY_SOURCE = `
const Store = tableModule('persistence/LokiTableMetadataStore').default;
const query = Store.prototype.queryTableEntities;
if (!query.kraftsamlaPartitionQuery) {
  const parseQuery = tableModule('persistence/QueryInterpreter/QueryParser').default;
  const nodes = 'persistence/QueryInterpreter/QueryNodes/';
  const AndNode = tableModule(nodes + 'AndNode').default;
  const EqualsNode = tableModule(nodes + 'EqualsNode').default;
  const IdentifierNode = tableModule(nodes + 'IdentifierNode').default;
  const ConstantNode = tableModule(nodes + 'ConstantNode').default;
  // The partition key every row passing this tree has: a conjunct PartitionKey eq '<string>'.
  const requiredIn = (node) => {
    if (node instanceof AndNode) {
      const left = requiredIn(node.left);
      return left !== undefined ? left : requiredIn(node.right);
    }
    if (node instanceof EqualsNode) {
      const [key, value] = node.left instanceof IdentifierNode ? [node.left, node.right] : [node.right, node.left];
      if (
        key instanceof IdentifierNode &&
        key.identifier === 'PartitionKey' &&
        value instanceof ConstantNode &&
        typeof value.value === 'string'
      )
        return value.value;
    }
    return undefined;
  };
  const requiredPartition = (filter) => {
    if (typeof filter !== 'string') return undefined;
    try {
      return requiredIn(parseQuery(filter));
    } catch {
      return undefined; // Azurite's own path refuses it, with its own error
    }
  };
  const partitionQuery = function (context, account, table, queryOptions) {
    const partitionKey = requiredPartition(queryOptions && queryOptions.filter);
    let rows;
    if (partitionKey !== undefined) {
      try {
        rows = this.getEntityCollection(account, table, context);
      } catch {
        rows = undefined; // no such table: Azurite's path says so
      }
    }
    if (
      !rows ||
      !rows.binaryIndices ||
      !rows.binaryIndices.PartitionKey ||
      Object.prototype.hasOwnProperty.call(rows, 'chain')
    )
      return query.apply(this, arguments);
    const chain = rows.chain;
    rows.chain = function () {
      delete rows.chain;
      return chain.apply(this, arguments).find({ PartitionKey: partitionKey });
    };
    try {
      return query.apply(this, arguments);
    } finally {
      delete rows.chain;
    }
  };
  partitionQuery.kraftsamlaPartitionQuery = true;
  Store.prototype.queryTableEntities = partitionQuery;
}
`;

/** The launcher's lines that load Azurite's table modules from `tableDir` and apply the query. */
export function partitionQueryLauncherSource(tableDir: string): string {
  return `{
const tableModule = (name) => require(require('path').join(${JSON.stringify(tableDir)}, name));
${PARTITION_QUERY_SOURCE}
}`;
}
