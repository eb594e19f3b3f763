import type { CampaignConfig, RetryDisposition } from './events.ts';

/**
 * When to try a lead again after an attempt ended with `disposition`, or null when it is done:
 * no rule for that disposition, or the rule's (or campaign's) attempts are used up.
 * `attemptsMade` counts attempts including the one just ended.
 */
export function nextAttemptAt(
  config: CampaignConfig,
  disposition: RetryDisposition,
  attemptsMade: number,
  endedAt: string,
): string | null {
  const rule = config.retryRules[disposition];
  if (!rule) return null;
  const limit = Math.min(rule.maxAttempts ?? config.maxAttempts, config.maxAttempts);
  if (attemptsMade >= limit) return null;
  return new Date(Date.parse(endedAt) + rule.delayMinutes * 60_000).toISOString();
}
