import { VaultError } from '../../../shared/errors';
import { dataCentreIds, dataCentres, type DataCentre } from '../../../shared/dataCentres';
export { dataCentreIds, dataCentres, type DataCentre };

/** Aliases people type: the short suffixes of docs/cliq-api.md §2.1 and the country codes. */
const aliases: Record<string, DataCentre> = { us: 'com', au: 'com.au', cn: 'com.cn', eu: 'eu', in: 'in', jp: 'jp' };

export function parseDataCentre(value: string): DataCentre {
  const key = value.trim().toLowerCase().replace(/^\./, '');
  if (key in dataCentres) return key as DataCentre;
  const alias = aliases[key];
  if (alias) return alias;
  throw new VaultError('USAGE', `Unknown data centre "${value}".`, {
    hint: `Use one of ${dataCentreIds.join(', ')} (the suffix of your Cliq URL, e.g. cliq.zoho.eu → eu).`,
  });
}

/** Where requests go. `network` is the optional `/network/{name}` prefix, applied to REST v2 only. */
export interface Endpoints {
  apiBase: string;
  accountsBase: string;
  dataCentre: DataCentre | 'custom';
  network: string | undefined;
}

export function resolveEndpoints(input: { dataCentre?: string | undefined; apiBase?: string | undefined; accountsBase?: string | undefined; network?: string | undefined }): Endpoints {
  const network = input.network?.trim() ? normaliseNetwork(input.network) : undefined;
  if (input.apiBase !== undefined || input.accountsBase !== undefined) {
    if (input.apiBase === undefined || input.accountsBase === undefined) {
      throw new VaultError('USAGE', '--api-base and --accounts-base go together.', {
        hint: 'Give both (e.g. the two URLs `cliq-vault simulate` prints), or use --dc instead.',
      });
    }
    return {
      apiBase: normaliseBase(input.apiBase, '--api-base'),
      accountsBase: normaliseBase(input.accountsBase, '--accounts-base'),
      dataCentre: input.dataCentre === undefined ? 'custom' : parseDataCentre(input.dataCentre),
      network,
    };
  }
  if (input.dataCentre === undefined) {
    throw new VaultError('USAGE', 'No data centre given.', {
      hint: `Pass --dc with one of ${dataCentreIds.join(', ')}, or --api-base and --accounts-base.`,
    });
  }
  const dc = parseDataCentre(input.dataCentre);
  return { apiBase: dataCentres[dc].api, accountsBase: dataCentres[dc].accounts, dataCentre: dc, network };
}

function normaliseBase(value: string, flag: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch (error) {
    throw new VaultError('USAGE', `${flag} is not a URL: "${value}".`, { cause: error, hint: 'Example: http://127.0.0.1:41234' });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new VaultError('USAGE', `${flag} must be an http(s) URL, not ${url.protocol}.`);
  }
  return url.toString().replace(/\/+$/, '');
}

function normaliseNetwork(value: string): string {
  const name = value.trim();
  if (!/^[A-Za-z0-9._-]+$/.test(name)) {
    throw new VaultError('USAGE', `Network name "${value}" has characters a Cliq network name cannot have.`, {
      hint: 'Use the unique name or id shown in the network URL (https://cliq.zoho.com/network/<name>).',
    });
  }
  return name;
}
