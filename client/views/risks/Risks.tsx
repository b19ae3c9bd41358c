export default function Risks() {
  return (
    <section class="page">
      <h1>Risks</h1>
    </section>
  );
}
