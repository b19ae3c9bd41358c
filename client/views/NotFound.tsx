import { A } from '@solidjs/router';

export default function NotFound() {
  return (
    <section class="page">
      <h1>Not found</h1>
      <p>
        Nothing lives at this address. <A href="/">Back to the dashboard</A>.
      </p>
    </section>
  );
}
