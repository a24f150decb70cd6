import type { BudgetLimits } from '../web-api/request-budget';

/**
 * Dataverse service protection limits per user and web server, 5-minute sliding window:
 * 6,000 requests, 20 minutes of combined execution time, 52 concurrent requests
 * (https://learn.microsoft.com/power-apps/developer/data-platform/api-limits). A `$batch` counts
 * as one request but its execution time counts in full.
 */
export const DATAVERSE_SERVICE_PROTECTION: BudgetLimits = {
  maxConcurrent: 52,
  maxRequests: 6_000,
  windowMs: 300_000,
  maxExecutionMs: 1_200_000,
};

/** Most operations in one `$batch` (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/execute-batch-operations-using-web-api). */
export const DATAVERSE_MAX_BATCH_OPERATIONS = 1_000;

/** Most records per page, whatever `odata.maxpagesize` asks (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/page-results). */
export const DATAVERSE_MAX_PAGE_SIZE = 5_000;
