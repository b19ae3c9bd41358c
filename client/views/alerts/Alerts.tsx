export default function Alerts() {
  return (
    <section class="page">
      <h1>Alerts</h1>
    </section>
  );
}
