/**
 * One display rule for people everywhere (issue 13): a person's full name; their e-mail added in
 * parentheses when another person in the archive has the same name, so two "Priya"s can be told
 * apart; the e-mail, then the id, when no name is known.
 */
export function personLabel(person: { id: string; name: string | null; email: string | null }, nameShared: boolean): string {
  const name = person.name?.trim() ?? '';
  if (name === '') return person.email ?? person.id;
  return nameShared && person.email !== null && person.email !== '' ? `${name} (${person.email})` : name;
}
