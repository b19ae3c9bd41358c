import DOMPurify, { type Config } from 'dompurify';
import { Marked } from 'marked';

/**
 * Markdown to safe HTML. Runbooks and reviews are written by people and synced from other
 * devices, and Markdown passes raw HTML through, so the HTML is cut down to what Markdown itself
 * writes: no forms, inputs or buttons (a fake sign-in form), no style (a full-screen overlay),
 * no classes or ids (the app's own CSS and DOM), no frames, media or scripts. Links leave the
 * app visibly, and images come only from this server.
 */

/** Every element marked (GFM) writes; a task list's checkbox is written as text instead (below). */
const MARKDOWN_TAGS = [
  'a', 'blockquote', 'br', 'code', 'del', 'em', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'img', 'li', 'ol', 'p', 'pre',
  'strong', 'table', 'tbody', 'td', 'th', 'thead', 'tr', 'ul',
];
/** Every attribute it writes on them, less `class` (a code block's language: nothing here reads it). */
const MARKDOWN_ATTRIBUTES = ['href', 'title', 'src', 'alt', 'align', 'start'];

const PROFILE: Config = {
  ALLOWED_TAGS: MARKDOWN_TAGS,
  ALLOWED_ATTR: MARKDOWN_ATTRIBUTES,
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  // Web, mail and phone links, and relative ones; no javascript:, data:, blob: or others.
  ALLOWED_URI_REGEXP: /^(?:(?:https?|mailto|tel):|[^a-z]|[a-z+.-]+(?:[^a-z+.\-:]|$))/i,
};

const markdown = new Marked({
  gfm: true,
  breaks: false,
  async: false,
  // A task list item's checkbox would be an <input>: written as a ballot box character instead.
  renderer: { checkbox: ({ checked }) => (checked ? '☑ ' : '☐ ') },
});

export interface RenderOptions {
  /** This app's origin: links elsewhere are marked as leaving it, images elsewhere are not loaded. */
  origin?: string;
}

export function renderMarkdown(text: string, options: RenderOptions = {}): string {
  const origin = options.origin ?? globalThis.location?.origin ?? 'null';
  const html = markdown.parse(text, { async: false });
  const fragment = DOMPurify.sanitize(html, { ...PROFILE, RETURN_DOM_FRAGMENT: true });
  for (const link of fragment.querySelectorAll('a')) markLink(link, origin);
  for (const image of fragment.querySelectorAll('img')) keepOnlyLocalImage(image, origin);
  const container = document.createElement('div');
  container.append(fragment);
  return container.innerHTML;
}

function urlOf(value: string | null, origin: string): URL | undefined {
  if (value === null) return undefined;
  try {
    return new URL(value, origin === 'null' ? undefined : origin);
  } catch {
    return undefined;
  }
}

/**
 * A link to another site opens apart from the app (no opener, no referrer) and shows where it
 * goes (its host, by CSS): a "sign in again" link to a look-alike host stays visible as such.
 */
function markLink(link: HTMLAnchorElement, origin: string): void {
  const url = urlOf(link.getAttribute('href'), origin);
  if (url === undefined) {
    link.removeAttribute('href');
    return;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return;
  if (url.origin === origin) return;
  link.setAttribute('target', '_blank');
  link.setAttribute('rel', 'noopener noreferrer nofollow');
  link.setAttribute('class', 'external-link');
  link.setAttribute('data-host', url.host);
}

/** An image from elsewhere would tell that site who reads the runbook, and when: its text is shown instead. */
function keepOnlyLocalImage(image: HTMLImageElement, origin: string): void {
  const url = urlOf(image.getAttribute('src'), origin);
  if (url !== undefined && (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === origin) return;
  const alt = image.getAttribute('alt') ?? '';
  image.replaceWith(document.createTextNode(alt === '' ? '[image]' : `[image: ${alt}]`));
}
