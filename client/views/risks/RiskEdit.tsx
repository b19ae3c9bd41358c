export default function RiskEdit() {
  return (
    <section class="page">
      <h1>RiskEdit</h1>
    </section>
  );
}
