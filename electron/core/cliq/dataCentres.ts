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
        ui: { message: 'The API base URL and the accounts base URL go together.', hint: 'Give both, or choose a data centre instead.' },
      });
    }
    return {
      apiBase: normaliseBase(input.apiBase, { flag: '--api-base', field: 'The API base URL' }),
      accountsBase: normaliseBase(input.accountsBase, { flag: '--accounts-base', field: 'The accounts base URL' }),
      dataCentre: input.dataCentre === undefined ? 'custom' : parseDataCentre(input.dataCentre),
      network,
    };
  }
  if (input.dataCentre === undefined) {
    throw new VaultError('USAGE', 'No data centre given.', {
      hint: `Pass --dc with one of ${dataCentreIds.join(', ')}, or --api-base and --accounts-base.`,
      ui: { message: 'No data centre given.', hint: 'Choose the data centre of your Cliq org (the suffix of its URL, e.g. cliq.zoho.eu → eu).' },
    });
  }
  const dc = parseDataCentre(input.dataCentre);
  return { apiBase: dataCentres[dc].api, accountsBase: dataCentres[dc].accounts, dataCentre: dc, network };
}

/** `name`: the flag the CLI took the URL from, and the field a screen calls it. */
function normaliseBase(value: string, name: { flag: string; field: string }): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch (error) {
    throw new VaultError('USAGE', `${name.flag} is not a URL: "${value}".`, {
      cause: error,
      hint: 'Example: http://127.0.0.1:41234',
      ui: { message: `${name.field} is not a URL: "${value}".`, hint: 'Example: http://127.0.0.1:41234' },
    });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new VaultError('USAGE', `${name.flag} must be an http(s) URL, not ${url.protocol}.`, { ui: { message: `${name.field} must be an http(s) URL, not ${url.protocol}.` } });
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
