export default function RunbookDetail() {
  return (
    <section class="page">
      <h1>RunbookDetail</h1>
    </section>
  );
}
