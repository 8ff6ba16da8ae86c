/**
 * Cliq's six data centres. A lookup table rather than a string replace: `.au` and `.cn` live at
 * `zoho.com.au` / `zoho.com.cn`, which a naive ".com → .xx" substitution gets wrong.
 */
export const dataCentres = {
  com: { label: 'United States', api: 'https://cliq.zoho.com', accounts: 'https://accounts.zoho.com' },
  eu: { label: 'Europe', api: 'https://cliq.zoho.eu', accounts: 'https://accounts.zoho.eu' },
  in: { label: 'India', api: 'https://cliq.zoho.in', accounts: 'https://accounts.zoho.in' },
  'com.au': { label: 'Australia', api: 'https://cliq.zoho.com.au', accounts: 'https://accounts.zoho.com.au' },
  'com.cn': { label: 'China', api: 'https://cliq.zoho.com.cn', accounts: 'https://accounts.zoho.com.cn' },
  jp: { label: 'Japan', api: 'https://cliq.zoho.jp', accounts: 'https://accounts.zoho.jp' },
} as const;

export type DataCentre = keyof typeof dataCentres;

export const dataCentreIds = Object.keys(dataCentres) as DataCentre[];
