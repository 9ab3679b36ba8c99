/** EventBridge's own limits, made explicit: retry for 24 hours, up to 185 times, then dead-letter. */
export const RETRY_POLICY = { maximumEventAgeInSeconds: 86400, maximumRetryAttempts: 185 };

/** SQS's longest retention, so a failed event waits two weeks for someone to look. */
export const DEAD_LETTER_RETENTION_SECONDS = 14 * 24 * 60 * 60;
