import { useEffect, useState, type FormEvent } from 'react';
import type { SchemaFeatures } from '../../api/schema-features';
import { ROLES } from '../../api/token-roles';
import { demoTokens, loadFeatures } from '../sign-in';

/** Sign-in: a demo role's token when the gateway offers them, or a pasted bearer token. */
export function SignInPage({ onSignedIn }: { onSignedIn: (token: string, features: SchemaFeatures) => void }) {
  const [demo, setDemo] = useState<Record<string, string>>({});
  const [pasted, setPasted] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    demoTokens().then(setDemo, () => setDemo({}));
  }, []);

  const signIn = async (token: string) => {
    setBusy(true);
    setError(null);
    try {
      onSignedIn(token, await loadFeatures(token));
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void signIn(pasted.trim().replace(/^Bearer\s+/i, ''));
  };

  return (
    <main className="sign-in">
      <h1>ERP ⇄ CRM integration console</h1>
      {Object.keys(demo).length > 0 && (
        <section className="card">
          <h2>Demo</h2>
          <p>This gateway generated its token secret for this run: sign in with one of its demo roles.</p>
          <div className="actions">
            {ROLES.filter((role) => demo[role]).map((role) => (
              <button key={role} type="button" disabled={busy} onClick={() => void signIn(demo[role]!)}>
                Sign in as {role}
              </button>
            ))}
          </div>
        </section>
      )}
      <form className="card" onSubmit={submit}>
        <h2>Bearer token</h2>
        <label>
          Token
          <textarea name="token" rows={4} value={pasted} onChange={(e) => setPasted(e.target.value)} placeholder="eyJhbGciOi…" />
        </label>
        <button type="submit" disabled={busy || pasted.trim() === ''}>
          Sign in
        </button>
      </form>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </main>
  );
}
