export default function Runbooks() {
  return (
    <section class="page">
      <h1>Runbooks</h1>
    </section>
  );
}
