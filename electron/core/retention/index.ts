export { applyRetention, previewRetention, type RetentionOptions } from './purge';
export { cutoffOf, retentionPreview } from './preview';
