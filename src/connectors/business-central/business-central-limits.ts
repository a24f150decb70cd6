import type { BudgetLimits } from '../web-api/request-budget';

/**
 * Business Central online's OData limits per user: 6,000 requests in a 5-minute sliding window
 * and 5 processed at once (more wait in a queue of 95, then 429)
 * (https://learn.microsoft.com/dynamics365/business-central/dev-itpro/administration/operational-limits-online).
 * Keeping to 5 in flight means nothing waits in BC's queue, where the 8-minute timeout runs.
 */
export const BUSINESS_CENTRAL_LIMITS: BudgetLimits = { maxConcurrent: 5, maxRequests: 6_000, windowMs: 300_000 };

/** Most requests in one `$batch` (https://learn.microsoft.com/training/modules/work-with-api/4-limits/). */
export const BUSINESS_CENTRAL_MAX_BATCH = 100;
