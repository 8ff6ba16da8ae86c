import type { Migration } from './types';

/**
 * Channels found by their REST id too (issue 16, scale).
 *
 * A mention of a channel (`{@C…}` in a message) names it by whichever id Cliq put there: the REST
 * id or the export's. The resolver (archive/mentionResolver.ts) asks for either, and with no index
 * on `rest_channel_id` SQLite read every channel for each: 0.70 ms a lookup with the 10M org's
 * 1,100 channels, once per distinct channel in every bundle's transcripts, every transcript page
 * and every page of search results. With this index the OR becomes two index lookups.
 */
export const migration: Migration = {
  version: 74,
  name: 'channels rest id index',
  up(db) {
    db.exec('CREATE INDEX channels_rest_id ON channels(rest_channel_id) WHERE rest_channel_id IS NOT NULL');
  },
};
