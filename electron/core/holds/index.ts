/**
 * The public surface of electron/core/holds/ for the shells (electron/cli, electron/server,
 * electron/main, electron/worker): legal holds — placing and releasing them (sealed records), listing
 * them with what their scopes hold, and the "is this held?" predicate retention reads.
 *
 * Shells import from here, never from the files behind it (a lint zone in eslint.config.js);
 * tests and the bench may reach further in.
 */
export { placeHold, releaseHold } from './holdWrites';
export { hasHolds, holdMentions, holdsNamed, listHolds, showHold } from './holdReads';
export { evaluateHolds, evaluatedCounts, holdsTouchingScope, isHeld, markHeld } from './holdScope';
