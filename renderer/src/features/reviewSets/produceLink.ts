import { hrefFor } from '../../hooks/useHashRoute';

/** A production's scope as the Audit screen's address carries it: `#/audit?set=3&with=responsive&without=privileged`. */
export interface ProduceScope {
  id: number;
  withTags: string[];
  withoutTags: string[];
}

export function produceHref(scope: ProduceScope): string {
  const params = new URLSearchParams({ set: String(scope.id) });
  for (const tag of scope.withTags) params.append('with', tag);
  for (const tag of scope.withoutTags) params.append('without', tag);
  return `${hrefFor('audit')}?${params.toString()}`;
}

/** The set a production was opened on, or null (a plain audit export). What is not a set id is no set. */
export function produceScopeOf(params: URLSearchParams): ProduceScope | null {
  const id = params.get('set') ?? '';
  if (!/^[1-9]\d{0,9}$/.test(id)) return null;
  const tags = (name: string) => [...new Set(params.getAll(name).filter((t) => /^[a-z0-9][a-z0-9-]{0,39}$/.test(t)))].slice(0, 20);
  return { id: Number(id), withTags: tags('with'), withoutTags: tags('without') };
}
