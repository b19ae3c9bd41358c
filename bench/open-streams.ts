/**
 * Live-stream subscribers that only hold their connection and drain what the server sends, as
 * idle clients do: they cost the server what a subscriber costs, and the bench next to nothing.
 */
export async function openStreams(server: { url: string; fetch: typeof fetch }, count: number): Promise<{ close(): void }> {
  const controllers = Array.from({ length: count }, () => new AbortController());
  await Promise.all(
    controllers.map(async (controller) => {
      const response = await server.fetch(`${server.url}/api/sync/stream`, { headers: { accept: 'text/event-stream' }, signal: controller.signal });
      const reader = response.body?.getReader();
      if (!response.ok || !reader) throw new Error(`stream answered ${response.status}`);
      // Connected once the first event (RESYNC) arrives; then drain in the background.
      await reader.read();
      void (async () => {
        for (;;) if ((await reader.read().catch(() => ({ done: true }))).done) return;
      })();
    }),
  );
  return { close: () => controllers.forEach((controller) => controller.abort()) };
}
