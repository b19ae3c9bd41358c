export default function Fleet() {
  return (
    <section class="page">
      <h1>Fleet</h1>
    </section>
  );
}
