/**
 * The public surface of electron/core/review/ for the shells (electron/cli, electron/server,
 * electron/main, electron/worker) and the other domains: the review log (issue 14, part 4) — record a
 * look (ReviewRecorder, batched and sealed), read the log back (readReviewLog).
 *
 * Custody features (holds, retention, key changes) record their actions here too: `new
 * ReviewRecorder({ shell, clock, log })`, `record(archivePath, { action: 'hold_add', scope, results })`,
 * and `close()` before the process ends (or keep one recorder for the process, as the app service does).
 */
export { nodeTimers, ReviewRecorder, type Reviewer, type ReviewLook, type ReviewRecorderOptions, type ReviewTimers, type ReviewWrite } from './recorder';
export { readReviewLog, writeReviewBatch, type ReviewRecord } from './reviewRepo';
export { failedLook } from './outcome';
