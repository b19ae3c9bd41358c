import { Show } from 'solid-js';
import { useRegisterSW } from 'virtual:pwa-register/solid';

/** A new version was deployed: offer it, never reload under someone's fingers. */
export function UpdatePrompt() {
  const {
    needRefresh: [needRefresh, setNeedRefresh],
    updateServiceWorker,
  } = useRegisterSW({ immediate: true });
  return (
    <Show when={needRefresh()}>
      <div class="toast" role="alert">
        <span>A new version of Outpost is available.</span>
        <button type="button" class="primary" onClick={() => void updateServiceWorker(true)}>
          Update now
        </button>
        <button type="button" onClick={() => setNeedRefresh(false)}>
          Later
        </button>
      </div>
    </Show>
  );
}
