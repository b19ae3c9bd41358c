export default function DeviceDetail() {
  return (
    <section class="page">
      <h1>DeviceDetail</h1>
    </section>
  );
}
