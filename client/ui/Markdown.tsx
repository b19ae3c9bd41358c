import DOMPurify from 'dompurify';
import { marked } from 'marked';
import { createMemo } from 'solid-js';

/**
 * Markdown to safe HTML: runbooks and reviews are written by people and synced from other
 * devices, so the HTML is sanitized (no scripts, handlers or foreign frames) before display.
 */
export function renderMarkdown(text: string): string {
  const html = marked.parse(text, { async: false, gfm: true, breaks: false });
  return DOMPurify.sanitize(html, { USE_PROFILES: { html: true } });
}

export function Markdown(props: { text: string; class?: string }) {
  const html = createMemo(() => renderMarkdown(props.text));
  return <div class={`markdown ${props.class ?? ''}`} innerHTML={html()} />;
}
