export { applyRetention, previewOn, previewRetention, type RetentionOptions } from './purge';
export { cutoffOf, retentionPreview } from './preview';
export { retentionRuns } from './runs';
