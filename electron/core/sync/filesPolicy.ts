import { bytesPerMb, type FilesPolicy } from '../../../shared/settings';
import type { SyncOptions } from './types';

/** A file policy (settings, or the CLI's --files and --files-max-mb) as the sync takes it. */
export function filesOptionsOf(policy: FilesPolicy): Pick<SyncOptions, 'files' | 'filesMaxBytes'> {
  return policy.maxMb === null ? { files: policy.fetch } : { files: policy.fetch, filesMaxBytes: Math.floor(policy.maxMb * bytesPerMb) };
}
