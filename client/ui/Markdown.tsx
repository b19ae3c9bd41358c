import { createMemo } from 'solid-js';
import { renderMarkdown } from './markdown-html.ts';
import './markdown.css';

/** Rendered Markdown, cut down to what Markdown writes (markdown-html.ts). */
export function Markdown(props: { text: string; class?: string }) {
  const html = createMemo(() => renderMarkdown(props.text));
  return <div class={`markdown ${props.class ?? ''}`} innerHTML={html()} />;
}
