import { useState, type SubmitEvent } from 'react';
import { contract, type RequestOf } from '../../../../shared/contract';
import { dataCentreIds, dataCentres, type DataCentre } from '../../../../shared/dataCentres';
import type { AdminCheck } from '../../../../shared/views';
import { archiverScopeList, archiverScopeUses, optionalScopeMark } from '../../../../shared/cliqScopes';
import { useApi } from '../../api/ApiContext';
import { screenWords } from '../../../../shared/errors';
import { ErrorDetails, ErrorPanel } from '../../components/ErrorPanel';
import { hrefFor, navigate } from '../../hooks/useHashRoute';
import { useVaultState } from '../../VaultState';
import { Field } from '../../components/Field';

/** Where the secret will live, said truthfully for the shell and the machine. */
const secretNote = {
  os: 'Kept encrypted by the operating system (Keychain, DPAPI, libsecret), never in the settings file.',
  weak: 'Kept with weak (obfuscating) storage, as allowed in Settings: this machine has no keyring.',
  memory: 'Kept in the memory of this serve process only: never written to disk, gone when it stops.',
  unavailable: 'This machine has no keyring to keep it in: allow weak storage in Settings, or install one.',
} as const;

type FieldName = 'name' | 'dataCentre' | 'apiBase' | 'accountsBase' | 'network' | 'clientId' | 'clientSecret' | 'credential';

interface Form {
  dataCentre: DataCentre | 'custom';
  apiBase: string;
  accountsBase: string;
  network: string;
  name: string;
  clientId: string;
  clientSecret: string;
  credentialKind: 'grantCode' | 'refreshToken';
  credential: string;
}

const blank: Form = { dataCentre: 'com', apiBase: '', accountsBase: '', network: '', name: '', clientId: '', clientSecret: '', credentialKind: 'grantCode', credential: '' };

const fieldLabels: Record<FieldName, string> = {
  name: 'Org name',
  dataCentre: 'Data centre',
  apiBase: 'API base URL',
  accountsBase: 'Accounts base URL',
  network: 'Network',
  clientId: 'Client ID',
  clientSecret: 'Client secret',
  credential: 'Grant code or refresh token',
};

/** The form as the contract's request (empty optional fields left out). */
export function toRequest(form: Form): RequestOf<'connect:save'> {
  const custom = form.dataCentre === 'custom';
  const optional = (value: string) => (value.trim() === '' ? undefined : value.trim());
  return {
    profile: {
      name: form.name.trim(),
      dataCentre: form.dataCentre,
      network: optional(form.network),
      apiBase: custom ? optional(form.apiBase) : undefined,
      accountsBase: custom ? optional(form.accountsBase) : undefined,
      clientId: form.clientId.trim(),
    },
    clientSecret: form.clientSecret,
    ...(form.credentialKind === 'grantCode' ? { grantCode: form.credential } : { refreshToken: form.credential }),
  };
}

/** Checks the form with the contract's own schema, so the renderer and the app agree on what is valid. */
export function validate(form: Form): Partial<Record<FieldName, string>> {
  const errors: Partial<Record<FieldName, string>> = {};
  if (form.dataCentre === 'custom') {
    if (form.apiBase.trim() === '') errors.apiBase = 'API base URL is required for a custom endpoint';
    if (form.accountsBase.trim() === '') errors.accountsBase = 'Accounts base URL is required for a custom endpoint';
  }
  if (form.credential.trim() === '') errors.credential = `${form.credentialKind === 'grantCode' ? 'Grant code' : 'Refresh token'} is required`;
  const parsed = contract['connect:save'].request.safeParse(toRequest(form));
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const last = issue.path[issue.path.length - 1];
      const field: FieldName = last === 'grantCode' || last === 'refreshToken' ? 'credential' : (last as FieldName);
      if (field in fieldLabels && errors[field] === undefined) errors[field] = `${fieldLabels[field]} ${issue.message === 'Invalid URL' ? 'must be a URL (https://…)' : issue.message}`;
    }
  }
  return errors;
}

type Outcome = { kind: 'idle' } | { kind: 'busy'; what: 'save' | 'demo' | 'check' } | { kind: 'failed'; error: unknown } | { kind: 'notAdmin'; admin: AdminCheck; orgName: string };

export function ConnectScreen() {
  const api = useApi();
  const { refresh, info } = useVaultState();
  const [form, setForm] = useState<Form>(blank);
  const [errors, setErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' });
  const busy = outcome.kind === 'busy';

  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm((f) => ({ ...f, [key]: value }));

  async function finish(admin: AdminCheck, orgName: string) {
    // The profile is saved and active either way; the app state must know about it.
    await refresh();
    if (admin.ok) navigate(hrefFor('sync'));
    else setOutcome({ kind: 'notAdmin', admin, orgName });
  }

  function run(what: 'save' | 'demo' | 'check', call: () => Promise<{ admin: AdminCheck; orgName: string }>) {
    setOutcome({ kind: 'busy', what });
    call()
      .then(({ admin, orgName }) => finish(admin, orgName))
      .catch((error: unknown) => setOutcome({ kind: 'failed', error }));
  }

  function onSubmit(event: SubmitEvent) {
    event.preventDefault();
    const found = validate(form);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    run('save', async () => {
      const result = await api.invoke('connect:save', toRequest(form));
      return { admin: result.admin, orgName: result.profile.name };
    });
  }

  const custom = form.dataCentre === 'custom';
  const credentialLabel = form.credentialKind === 'grantCode' ? 'Self-client grant code' : 'Refresh token';

  return (
    <section className="screen connect" aria-labelledby="connect-title">
      <header className="screen-head">
        <h1 id="connect-title">Connect an org</h1>
        <p className="muted">Cliq Vault archives every conversation of a Zoho Cliq org through the org admin's maintenance APIs. It needs a Self Client from the Zoho API console of an org admin.</p>
      </header>

      <div className="demo-callout">
        <div>
          <strong>Just looking?</strong> The demo org is a simulated Cliq org with channels, chats, edits and deletions: everything works, nothing leaves this machine.
        </div>
        <button
          type="button"
          className="primary"
          disabled={busy}
          onClick={() =>
            run('demo', async () => {
              const result = await api.invoke('connect:demo', {});
              return { admin: result.admin, orgName: result.profile.name };
            })
          }
        >
          {outcome.kind === 'busy' && outcome.what === 'demo' ? 'Starting the demo…' : 'Try the demo org'}
        </button>
      </div>

      {outcome.kind === 'failed' && <ErrorPanel title="Could not connect" error={outcome.error} />}
      {outcome.kind === 'notAdmin' && (
        <div className="panel panel-error" role="alert">
          <p className="panel-title">Connected to {outcome.orgName}, but the admin check failed</p>
          <p>{outcome.admin.error !== undefined ? screenWords(outcome.admin.error).message : 'Cliq did not let this account use the org-wide export APIs.'}</p>
          {outcome.admin.error !== undefined && screenWords(outcome.admin.error).hint !== undefined && <p className="hint">{screenWords(outcome.admin.error).hint}</p>}
          {outcome.admin.error !== undefined && <ErrorDetails code={outcome.admin.error.code} />}
          <button type="button" onClick={() => run('check', async () => ({ admin: await api.invoke('connect:check', {}), orgName: outcome.orgName }))}>
            Check again
          </button>
        </div>
      )}

      <form className="form" noValidate onSubmit={onSubmit} aria-label="Connect an org">
        <Field label="Data centre" error={errors.dataCentre}>
          {(id, describedBy) => (
            <select id={id} aria-describedby={describedBy} value={form.dataCentre} onChange={(e) => set('dataCentre', e.target.value as Form['dataCentre'])}>
              {dataCentreIds.map((dc) => (
                <option key={dc} value={dc}>
                  {dataCentres[dc].label} ({dataCentres[dc].api.replace('https://', '')})
                </option>
              ))}
              <option value="custom">Custom (proxy or simulator)</option>
            </select>
          )}
        </Field>
        {custom && (
          <div className="form-row">
            <Field label="API base URL" error={errors.apiBase}>
              {(id, describedBy) => (
                <input
                  id={id}
                  type="url"
                  aria-describedby={describedBy}
                  aria-invalid={errors.apiBase !== undefined}
                  placeholder="https://cliq.example.internal"
                  value={form.apiBase}
                  onChange={(e) => set('apiBase', e.target.value)}
                />
              )}
            </Field>
            <Field label="Accounts base URL" error={errors.accountsBase}>
              {(id, describedBy) => (
                <input
                  id={id}
                  type="url"
                  aria-describedby={describedBy}
                  aria-invalid={errors.accountsBase !== undefined}
                  placeholder="https://accounts.example.internal"
                  value={form.accountsBase}
                  onChange={(e) => set('accountsBase', e.target.value)}
                />
              )}
            </Field>
          </div>
        )}
        <Field label="Network (optional)" error={errors.network} help="Only for a Cliq network: the name from its URL.">
          {(id, describedBy) => <input id={id} aria-describedby={describedBy} aria-invalid={errors.network !== undefined} value={form.network} onChange={(e) => set('network', e.target.value)} />}
        </Field>
        <Field label="Org name" error={errors.name} help="How this org is named in Cliq Vault.">
          {(id, describedBy) => <input id={id} aria-describedby={describedBy} aria-invalid={errors.name !== undefined} value={form.name} onChange={(e) => set('name', e.target.value)} />}
        </Field>
        <div className="form-row">
          <Field label="Client ID" error={errors.clientId}>
            {(id, describedBy) => (
              <input
                id={id}
                autoComplete="off"
                spellCheck={false}
                aria-describedby={describedBy}
                aria-invalid={errors.clientId !== undefined}
                value={form.clientId}
                onChange={(e) => set('clientId', e.target.value)}
              />
            )}
          </Field>
          <Field label="Client secret" error={errors.clientSecret}>
            {(id, describedBy) => (
              <input
                id={id}
                type="password"
                autoComplete="off"
                aria-describedby={describedBy}
                aria-invalid={errors.clientSecret !== undefined}
                value={form.clientSecret}
                onChange={(e) => set('clientSecret', e.target.value)}
              />
            )}
          </Field>
        </div>
        <fieldset className="inline-choice">
          <legend>Authorise with</legend>
          <label className="check">
            <input type="radio" name="credentialKind" checked={form.credentialKind === 'grantCode'} onChange={() => setForm((f) => ({ ...f, credentialKind: 'grantCode', credential: '' }))} /> a
            self-client grant code
          </label>
          <label className="check">
            <input type="radio" name="credentialKind" checked={form.credentialKind === 'refreshToken'} onChange={() => setForm((f) => ({ ...f, credentialKind: 'refreshToken', credential: '' }))} /> a
            refresh token I already have
          </label>
        </fieldset>
        <Field
          label={credentialLabel}
          error={errors.credential}
          help={
            form.credentialKind === 'grantCode' ? `Self Client → Generate Code in the Zoho API console, scopes ${archiverScopeList}. It is valid for a few minutes.` : secretNote[info.secretStorage]
          }
        >
          {(id, describedBy) => (
            <input
              id={id}
              type="password"
              autoComplete="off"
              aria-describedby={describedBy}
              aria-invalid={errors.credential !== undefined}
              value={form.credential}
              onChange={(e) => set('credential', e.target.value)}
            />
          )}
        </Field>
        {form.credentialKind === 'grantCode' && (
          <details className="scope-help">
            <summary>What each scope adds</summary>
            <dl aria-label="Scopes to grant">
              {archiverScopeUses.map((use) => (
                <div key={use.scope}>
                  <dt>
                    <code>{use.scope}</code>
                    {use.optional && <span className="muted"> {optionalScopeMark}</span>}
                  </dt>
                  <dd>{use.adds}</dd>
                </div>
              ))}
            </dl>
          </details>
        )}
        <div className="form-actions">
          <button type="submit" className="primary" disabled={busy}>
            {outcome.kind === 'busy' && outcome.what !== 'demo' ? 'Connecting…' : 'Connect and check admin access'}
          </button>
        </div>
      </form>
    </section>
  );
}
