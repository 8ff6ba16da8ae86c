/**
 * The message that started a thread, in the messages table's spelling: the threads API names it
 * `<ms>%20<n>` (or with a space) where the messages API archives `<ms>_<n>` (docs/cliq-api.md
 * §4.3). Stored as received in threads.thread_message_id; every join to messages goes through this.
 */
export function threadMessageIdSql(alias: string): string {
  return `replace(replace(${alias}.thread_message_id, '%20', '_'), ' ', '_')`;
}
