/**
 * The public surface of electron/core/changes/ for the shells: "what changed", read from the run
 * markers every archived row keeps (first seen, changed, noticed gone), over a range of sync runs
 * or between two snapshots.
 */
export { changeRange, type RangeAsked } from './range';
export { changeReport } from './report';
export { changesBetweenSnapshots } from './snapshots';
export { renderChangeReport } from './render';
export { writeRunChanges } from './runFile';
