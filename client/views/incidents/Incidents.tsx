export default function Incidents() {
  return (
    <section class="page">
      <h1>Incidents</h1>
    </section>
  );
}
