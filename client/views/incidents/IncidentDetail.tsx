export default function IncidentDetail() {
  return (
    <section class="page">
      <h1>IncidentDetail</h1>
    </section>
  );
}
