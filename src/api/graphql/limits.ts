import {
  Kind,
  type ASTVisitor,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';
import { gql } from './cjs.ts';

const { getNamedType, getNullableType, GraphQLError, isListType, isObjectType } = gql;

/** Items assumed for a list field with no `first` (nested lists like team members). */
const UNBOUNDED_LIST = 20;
/** A `first` given as a variable is not known at validation time: assume the largest page. */
const MAX_PAGE = 200;

/**
 * Rejects operations whose estimated cost is above `max`: every field costs 1, and everything under a
 * list or a connection costs once per item asked for (`first`), so nested lists multiply.
 */
export function costLimitRule(max: number) {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const d of context.getDocument().definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
    const schema = context.getSchema();

    const cost = (set: SelectionSetNode | undefined, parent: GraphQLNamedType | undefined | null, seen: Set<string>): number => {
      if (!set) return 0;
      let total = 0;
      for (const s of set.selections) {
        if (s.kind === Kind.FIELD) {
          const def = isObjectType(parent) ? parent.getFields()[s.name.value] : undefined;
          const first = s.arguments?.find((a) => a.name.value === 'first');
          const asked = first ? (first.value.kind === Kind.INT ? Number(first.value.value) : MAX_PAGE) : undefined;
          const list = def ? isListType(getNullableType(def.type)) : false;
          const times = asked ?? (list ? UNBOUNDED_LIST : 1);
          total += 1 + times * cost(s.selectionSet, def ? getNamedType(def.type) : undefined, seen);
        } else if (s.kind === Kind.INLINE_FRAGMENT) {
          const t = s.typeCondition ? schema.getType(s.typeCondition.name.value) : parent;
          total += cost(s.selectionSet, t, seen);
        } else if (s.kind === Kind.FRAGMENT_SPREAD && !seen.has(s.name.value)) {
          const f = fragments.get(s.name.value);
          total += cost(f?.selectionSet, f ? schema.getType(f.typeCondition.name.value) : undefined, new Set([...seen, s.name.value]));
        }
      }
      return total;
    };

    return {
      OperationDefinition(node) {
        const root = node.operation === 'query' ? schema.getQueryType() : node.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
        const c = cost(node.selectionSet, root, new Set());
        if (c > max)
          context.reportError(
            new GraphQLError(`查询过于复杂 / query cost ${c} exceeds the limit ${max}: ask for smaller pages or fewer nested lists`, {
              nodes: [node],
              extensions: { code: 'QUERY_TOO_COSTLY', cost: c, max },
            }),
          );
      },
    };
  };
}
