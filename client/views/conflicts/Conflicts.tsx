export default function Conflicts() {
  return (
    <section class="page">
      <h1>Conflicts</h1>
    </section>
  );
}
