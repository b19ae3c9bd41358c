import { Show, createSignal } from 'solid-js';
import { useReplica } from '../app/replica-context.tsx';
import { signOut } from '../app/sign-out.ts';

/** Sign-out wipes this device; unsynced changes would go with it, so say so first. */
export function SignOutButton() {
  const replica = useReplica();
  const [isConfirming, setConfirming] = createSignal(false);
  const [error, setError] = createSignal<string>();

  const run = async () => {
    try {
      await signOut(replica);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };
  const start = () => (replica.status.pendingCount() > 0 ? setConfirming(true) : void run());

  return (
    <>
      <button type="button" onClick={start}>
        Sign out
      </button>
      <Show when={isConfirming()}>
        <div class="dialog-backdrop">
          <div class="dialog" role="alertdialog" aria-modal="true" aria-labelledby="signout-title" aria-describedby="signout-text">
            <h2 id="signout-title">Unsynced changes</h2>
            <p id="signout-text">
              {replica.status.pendingCount()} change(s) on this device have not reached the server yet. Signing out erases them from this
              device. Connect and wait for "0 pending" to keep them.
            </p>
            <div class="actions">
              <button type="button" class="primary" autofocus onClick={() => setConfirming(false)}>
                Keep me signed in
              </button>
              <button type="button" class="danger" onClick={() => void run()}>
                Sign out and erase
              </button>
            </div>
          </div>
        </div>
      </Show>
      <Show when={error()}>{(message) => <span role="alert">{message()}</span>}</Show>
    </>
  );
}
