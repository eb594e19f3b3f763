import { GraphQLError, Kind, type ASTVisitor, type FragmentDefinitionNode, type SelectionSetNode, type ValidationContext } from 'graphql';

/**
 * Rejects operations whose estimated cost (fields × requested page sizes, nested; a `first` given as a variable counts as the maximum page, 200) is above `max`,
 * so one query cannot ask for 200 leads × 200 calls × 200 recordings.
 */
export function costLimitRule(max: number) {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const d of context.getDocument().definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);

    const cost = (set: SelectionSetNode | undefined, seen: Set<string>): number => {
      if (!set) return 0;
      let total = 0;
      for (const s of set.selections) {
        if (s.kind === Kind.FIELD) {
          const first = s.arguments?.find((a) => a.name.value === 'first');
          const n = first?.value.kind === Kind.INT ? Number(first.value.value) : s.selectionSet ? (first ? 200 : 1) : 1;
          const multiplier = s.selectionSet && /^(nodes|edges)$/.test(s.name.value) ? 1 : n;
          total += 1 + (s.selectionSet ? multiplier * cost(s.selectionSet, seen) : 0);
        } else if (s.kind === Kind.INLINE_FRAGMENT) {
          total += cost(s.selectionSet, seen);
        } else if (s.kind === Kind.FRAGMENT_SPREAD && !seen.has(s.name.value)) {
          total += cost(fragments.get(s.name.value)?.selectionSet, new Set([...seen, s.name.value]));
        }
      }
      return total;
    };

    return {
      OperationDefinition(node) {
        const c = cost(node.selectionSet, new Set());
        if (c > max)
          context.reportError(
            new GraphQLError(`查询过于复杂 / query cost ${c} exceeds the limit ${max}: ask for smaller pages or fewer nested fields`, {
              nodes: [node],
              extensions: { code: 'QUERY_TOO_COSTLY', cost: c, max },
            }),
          );
      },
    };
  };
}
