import type { DomainError } from '../decider.ts';
import { isNonEmpty, reject } from '../rules.ts';
import type { IvrMenu, IvrTarget } from './events.ts';

const KEYS = /^[0-9*#]$/;
const KINDS = ['node', 'queue', 'agent', 'voicemail', 'hangup'];

/** A menu the switch can run: every key and fallback leads somewhere that exists, and every node is reachable. */
export function checkMenu(menu: IvrMenu): DomainError | undefined {
  if (!menu || !Array.isArray(menu.nodes) || menu.nodes.length === 0)
    return reject('IVR_EMPTY', 'A menu has at least one node');
  const ids = new Set<string>();
  for (const n of menu.nodes) {
    if (!isNonEmpty(n?.id) || ids.has(n.id)) return reject('IVR_NODE_INVALID', 'Every node has a distinct id');
    ids.add(n.id);
  }
  if (!ids.has(menu.rootNodeId))
    return reject('IVR_ROOT_MISSING', `The menu starts at "${menu.rootNodeId}", which is not a node`);
  const badTarget = (t: IvrTarget, where: string): DomainError | undefined => {
    if (!t || !KINDS.includes(t.kind)) return reject('IVR_TARGET_INVALID', `${where} leads nowhere`);
    if (t.kind === 'hangup') return undefined;
    if (!isNonEmpty(t.id)) return reject('IVR_TARGET_INVALID', `${where} needs a ${t.kind} id`);
    if (t.kind === 'node' && !ids.has(t.id))
      return reject('IVR_TARGET_INVALID', `${where} leads to missing node "${t.id}"`);
    return undefined;
  };
  for (const n of menu.nodes) {
    if (!isNonEmpty(n.promptFile) && !isNonEmpty(n.promptText))
      return reject('IVR_PROMPT_REQUIRED', `Node ${n.id} has no prompt`);
    if (!Number.isInteger(n.timeoutSeconds) || n.timeoutSeconds < 1 || n.timeoutSeconds > 60) {
      return reject('IVR_TIMEOUT_INVALID', `Node ${n.id}: timeout is 1 to 60 seconds`);
    }
    if (!Number.isInteger(n.maxRetries) || n.maxRetries < 0 || n.maxRetries > 5)
      return reject('IVR_RETRIES_INVALID', `Node ${n.id}: retries are 0 to 5`);
    for (const [key, t] of Object.entries(n.choices ?? {})) {
      if (!KEYS.test(key)) return reject('IVR_KEY_INVALID', `Node ${n.id}: "${key}" is not a phone key`);
      const bad = badTarget(t, `Node ${n.id} key ${key}`);
      if (bad) return bad;
    }
    const bad = badTarget(n.onFailure, `Node ${n.id} failure`);
    if (bad) return bad;
  }
  const reached = new Set([menu.rootNodeId]);
  const todo = [menu.rootNodeId];
  const byId = new Map(menu.nodes.map((n) => [n.id, n]));
  while (todo.length) {
    const n = byId.get(todo.pop() as string);
    for (const t of [...Object.values(n?.choices ?? {}), n?.onFailure]) {
      if (t?.kind === 'node' && !reached.has(t.id)) {
        reached.add(t.id);
        todo.push(t.id);
      }
    }
  }
  const orphans = [...ids].filter((id) => !reached.has(id));
  if (orphans.length) return reject('IVR_UNREACHABLE', `No caller can reach: ${orphans.join(', ')}`, { orphans });
  return undefined;
}
