export default function RunView() {
  return (
    <section class="page">
      <h1>RunView</h1>
    </section>
  );
}
