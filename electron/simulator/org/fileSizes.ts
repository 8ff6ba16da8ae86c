/**
 * The size distribution of generated files (org/files.ts). A module of its own, free of imports, so
 * the model, the options and the file generator can all use it without an import cycle.
 */

/** How file sizes are drawn (a start-only option: message objects declare the sizes). */
export interface FileSizes {
  /** Share of files that are empty (0 bytes). */
  emptyShare: number;
  /** Share of files drawn uniformly in [largeMinBytes, largeMaxBytes]. */
  largeShare: number;
  /** The rest: 1 byte to smallMaxBytes, roughly log-uniform (most files are small). */
  smallMaxBytes: number;
  largeMinBytes: number;
  largeMaxBytes: number;
  /** Share of files whose message declares the size rounded to whole KiB (F1 still serves the real bytes). */
  roundedShare: number;
}

export const defaultFileSizes: FileSizes = {
  emptyShare: 0.03,
  largeShare: 0.05,
  smallMaxBytes: 256 * 1024,
  largeMinBytes: 1024 * 1024,
  largeMaxBytes: 4 * 1024 * 1024,
  roundedShare: 0,
};
