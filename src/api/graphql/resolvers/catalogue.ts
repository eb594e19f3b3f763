/**
 * What a campaign is set up from: the product catalogue and the questionnaires, folded from their streams.
 * Neither belongs to a department, so every signed-in role reads them (agents take orders from the catalogue).
 */
import { foldCatalogue, PRODUCT_EVENT_TYPES, type CatalogueItem } from '../../../domain/product/catalogue.ts';
import type { ProductEvent } from '../../../domain/product/events.ts';
import type { QuestionnaireDefined } from '../../../domain/questionnaire/events.ts';
import type { RecordedEvent } from '../../../eventstore/types.ts';
import type { ApiContext } from '../context.ts';
import { apiError } from '../errors.ts';

type A = Record<string, any>;
const PAGE = 5000;

async function readAllOfTypes(ctx: ApiContext, eventTypes: string[]): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for (let after = 0; ; ) {
    const page = await ctx.store.readAll({ after, maxCount: PAGE, filter: { eventTypes } });
    out.push(...page);
    if (page.length < PAGE) return out;
    after = page[page.length - 1].position;
  }
}

// One read of the catalogue per request, however many campaigns ask for their products.
const catalogues = new WeakMap<object, Promise<Map<string, CatalogueItem>>>();
export function catalogue(ctx: ApiContext): Promise<Map<string, CatalogueItem>> {
  let c = catalogues.get(ctx);
  if (!c) {
    c = readAllOfTypes(ctx, [...PRODUCT_EVENT_TYPES]).then((events) => foldCatalogue(events as unknown as ProductEvent[]));
    catalogues.set(ctx, c);
  }
  return c;
}

/** Refuses product ids a campaign may not offer: unknown, or discontinued unless the campaign already had it. */
export async function checkProductIds(ctx: ApiContext, ids: string[], already: readonly string[] = []): Promise<void> {
  const known = await catalogue(ctx);
  const missing = ids.filter((id) => !known.has(id));
  if (missing.length) throw apiError('PRODUCT_NOT_FOUND', `产品不存在 / no such product: ${missing.join(', ')}`, { productIds: missing });
  const stopped = ids.filter((id) => known.get(id)!.discontinued && !already.includes(id));
  if (stopped.length) throw apiError('PRODUCT_DISCONTINUED', `产品已停售 / discontinued: ${stopped.join(', ')}`, { productIds: stopped });
}

const productOut = (p: CatalogueItem) => ({ id: p.productId, sku: p.sku, name: p.name, price: p.priceFen, points: p.points, category: p.category ?? null, discontinued: p.discontinued });

/** The latest version of each questionnaire, by name. */
async function latestQuestionnaires(ctx: ApiContext) {
  const latest = new Map<string, QuestionnaireDefined['data']>();
  for (const e of await readAllOfTypes(ctx, ['QuestionnaireDefined'])) {
    const d = e.data as unknown as QuestionnaireDefined['data'];
    if ((latest.get(d.questionnaireId)?.version ?? 0) < d.version) latest.set(d.questionnaireId, d);
  }
  return [...latest.values()].sort((a, b) => a.name.localeCompare(b.name, 'zh'));
}

export const catalogueResolvers = {
  Query: {
    products: async (_: unknown, a: A, ctx: ApiContext) =>
      [...(await catalogue(ctx)).values()]
        .filter((p) => a.includeDiscontinued || !p.discontinued)
        .sort((x, y) => x.name.localeCompare(y.name, 'zh'))
        .map(productOut),
    questionnaires: async (_: unknown, _a: A, ctx: ApiContext) =>
      (await latestQuestionnaires(ctx)).map((q) => ({
        id: q.questionnaireId,
        name: q.name,
        version: q.version,
        questions: q.questions.map((x) => ({ id: x.id, text: x.text, kind: x.kind.toUpperCase(), required: x.required, choices: x.choices ?? [] })),
      })),
  },
  Campaign: {
    /** In the campaign's order; a product since discontinued is still listed (with discontinued: true). */
    products: async (c: A, _a: A, ctx: ApiContext) => {
      const known = await catalogue(ctx);
      return ((c.productIds ?? []) as string[]).flatMap((id) => (known.has(id) ? [productOut(known.get(id)!)] : []));
    },
  },
};
