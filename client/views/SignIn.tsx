import { Show, createSignal } from 'solid-js';
import { ApiRequestError, isNetworkError } from '../app/api.ts';
import { signIn } from '../app/session.ts';

export function SignIn() {
  const [email, setEmail] = createSignal('');
  const [password, setPassword] = createSignal('');
  const [error, setError] = createSignal<string>();
  const [isBusy, setBusy] = createSignal(false);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await signIn(email().trim(), password());
    } catch (failure) {
      if (isNetworkError(failure)) setError('The server cannot be reached. Signing in needs a connection once; after that Outpost works offline.');
      else if (failure instanceof ApiRequestError) setError(failure.message);
      else setError(String(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="signin" id="main">
      <form class="card" onSubmit={(event) => void submit(event)} aria-labelledby="signin-title" novalidate>
        <img src="/icons/icon.svg" alt="" width="56" height="56" />
        <h1 id="signin-title">Sign in to Outpost</h1>
        <label for="signin-email">Email</label>
        <input id="signin-email" type="email" autocomplete="username" required value={email()} onInput={(e) => setEmail(e.currentTarget.value)} />
        <label for="signin-password">Password</label>
        <input
          id="signin-password"
          type="password"
          autocomplete="current-password"
          required
          value={password()}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
        <Show when={error()}>
          {(message) => (
            <p class="field-error" role="alert">
              {message()}
            </p>
          )}
        </Show>
        <button type="submit" class="primary" disabled={isBusy()}>
          {isBusy() ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
