import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { build, type Rolldown } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser.ts';

/*
 * The Markdown a runbook or review shows, rendered by the app's own renderer in a real Chromium
 * (DOMPurify needs a DOM). A runbook is written by a colleague and synced from their device:
 * whatever it holds, what renders is only what Markdown writes.
 */

const ORIGIN = 'https://outpost.test';
const ENTRY = fileURLToPath(new URL('../client/ui/markdown-html.ts', import.meta.url));
/** What marked (GFM) writes: anything else in the output is a hole. */
const MARKDOWN_TAGS = new Set(['A', 'BLOCKQUOTE', 'BR', 'CODE', 'DEL', 'EM', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'HR', 'IMG', 'LI', 'OL', 'P', 'PRE', 'STRONG', 'TABLE', 'TBODY', 'TD', 'TH', 'THEAD', 'TR', 'UL']);

let browser: Browser;
let page: Page;

/** The renderer as the app bundles it, exposed as window.OutpostMarkdown. */
async function bundleRenderer(): Promise<string> {
  const output = (await build({
    configFile: false,
    logLevel: 'silent',
    build: { write: false, minify: false, lib: { entry: ENTRY, formats: ['iife'], name: 'OutpostMarkdown', fileName: 'markdown' } },
  })) as Rolldown.RolldownOutput | Rolldown.RolldownOutput[];
  const [first] = Array.isArray(output) ? output : [output];
  const chunk = first?.output.find((item) => item.type === 'chunk');
  if (!chunk || chunk.type !== 'chunk') throw new Error('the renderer bundle has no code');
  return chunk.code;
}

interface Rendered {
  html: string;
  /** Tag names of every element in the output, rendered into the page. */
  tags: string[];
  /** Every attribute in the output, as tag.attribute=value. */
  attributes: string[];
}

function render(markdown: string): Promise<Rendered> {
  return page.evaluate(
    ({ markdown, origin }) => {
      const { renderMarkdown } = (window as unknown as { OutpostMarkdown: { renderMarkdown(text: string, options: { origin: string }): string } }).OutpostMarkdown;
      const html = renderMarkdown(markdown, { origin });
      const host = document.createElement('div');
      host.innerHTML = html;
      const elements = [...host.querySelectorAll('*')];
      return {
        html,
        tags: elements.map((element) => element.tagName),
        attributes: elements.flatMap((element) => [...element.attributes].map((attribute) => `${element.tagName.toLowerCase()}.${attribute.name}=${attribute.value}`)),
      };
    },
    { markdown, origin: ORIGIN },
  );
}

beforeAll(async () => {
  const code = await bundleRenderer();
  browser = await launchBrowser();
  page = await browser.newPage();
  await page.setContent('<!doctype html><html><head><title>markdown</title></head><body></body></html>');
  await page.addScriptTag({ content: code });
});

afterAll(async () => {
  await browser?.close();
});

describe('Markdown in a runbook renders only what Markdown writes', () => {
  it('drops a fake sign-in form: no form, input or button, and nothing is sent anywhere', async () => {
    const rendered = await render(
      'Your session expired.\n\n<form action="https://0utpost.example/login" method="post"><input name="email"><input name="password" type="password"><button type="submit">Sign in</button></form>',
    );
    expect(rendered.tags.filter((tag) => ['FORM', 'INPUT', 'BUTTON'].includes(tag))).toEqual([]);
    expect(rendered.html).not.toContain('0utpost.example');
  });

  it('drops a full-screen overlay: no style attribute, no style element, no div', async () => {
    const rendered = await render(
      '<style>body { visibility: hidden }</style>\n\n<div style="position:fixed;inset:0;z-index:99999;background:#fff">Session expired: <a href="https://0utpost.example">sign in</a></div>\n\n<p style="position:fixed;top:0">Call 555-0100</p>',
    );
    expect(rendered.tags.filter((tag) => ['STYLE', 'DIV'].includes(tag))).toEqual([]);
    expect(rendered.attributes.filter((attribute) => attribute.includes('.style='))).toEqual([]);
    expect(rendered.html).not.toContain('visibility');
  });

  it('drops classes, ids and data attributes, which would borrow the app’s own CSS and DOM', async () => {
    const rendered = await render('<p class="notice modal-backdrop" id="app" data-testid="sync" name="x" aria-hidden="true">Hello</p>');
    expect(rendered.html).toBe('<p>Hello</p>');
  });

  it('drops every element Markdown does not write', async () => {
    const hostile = [
      '<iframe src="https://evil.example"></iframe>', '<object data="x.swf"></object>', '<embed src="x">', '<svg><a href="javascript:alert(1)"><text>x</text></a></svg>',
      '<math><mi>x</mi></math>', '<video src="x"></video>', '<audio src="x"></audio>', '<link rel="stylesheet" href="https://evil.example/x.css">',
      '<meta http-equiv="refresh" content="0;url=https://evil.example">', '<base href="https://evil.example/">', '<details open><summary>More</summary>Text</details>',
      '<select><option>1</option></select>', '<textarea>x</textarea>', '<label>x</label>', '<dialog open>x</dialog>', '<marquee>x</marquee>', '<img src=x onerror=alert(1)>',
      '<script>alert(1)</script>', '<a href="javascript:alert(1)">run</a>', '<a href="data:text/html,<script>alert(1)</script>">open</a>',
    ];
    const rendered = await render(hostile.join('\n\n'));
    expect(rendered.tags.filter((tag) => !MARKDOWN_TAGS.has(tag))).toEqual([]);
    expect(rendered.attributes.filter((attribute) => /\.on|javascript:|data:/i.test(attribute))).toEqual([]);
  });

  it('marks a link to another site as leaving the app, showing where it goes, and keeps links within it as they are', async () => {
    expect((await render('[Sign in again](https://0utpost.example/login)')).attributes).toEqual([
      'a.href=https://0utpost.example/login', 'a.target=_blank', 'a.rel=noopener noreferrer nofollow', 'a.class=external-link', 'a.data-host=0utpost.example',
    ]);
    expect((await render('[the fleet](/fleet)')).attributes).toEqual(['a.href=/fleet']);
    expect((await render(`[this device](${ORIGIN}/fleet/1)`)).attributes).toEqual([`a.href=${ORIGIN}/fleet/1`]);
    expect((await render('[mail us](mailto:it@northwind.example)')).attributes).toEqual(['a.href=mailto:it@northwind.example']);
  });

  it('loads images only from this server: one from elsewhere shows its description instead', async () => {
    const rendered = await render('![tracking pixel](https://tracker.example/p.png) ![rack diagram](/files/rack.png) ![inline](data:image/png;base64,iVBORw0KGgo=)');
    expect(rendered.attributes.filter((attribute) => attribute.startsWith('img.src='))).toEqual(['img.src=/files/rack.png']);
    expect(rendered.html).toContain('[image: tracking pixel]');
    expect(rendered.html).not.toContain('tracker.example');
  });

  it('writes a task list’s boxes as characters, not inputs', async () => {
    const rendered = await render('- [x] Power off the till\n- [ ] Swap the printer');
    expect(rendered.tags).not.toContain('INPUT');
    expect(rendered.html).toContain('☑ Power off the till');
    expect(rendered.html).toContain('☐ Swap the printer');
  });

  it('keeps everything Markdown writes for a runbook', async () => {
    const rendered = await render(
      '# Printer offline\n\n## Steps\n\n1. Check **power** and *cable*\n2. Run `lpstat -p`\n\n> Never ~~unplug~~ the till.\n\n| Light | Meaning |\n|:--|--:|\n| red | jam |\n\n```sh\nsudo systemctl restart cups\n```\n\n---\n\n3. Done  \nnext line',
    );
    expect(new Set(rendered.tags)).toEqual(new Set(['H1', 'H2', 'OL', 'LI', 'STRONG', 'EM', 'CODE', 'BLOCKQUOTE', 'P', 'DEL', 'TABLE', 'THEAD', 'TR', 'TH', 'TBODY', 'TD', 'PRE', 'HR', 'BR']));
    expect(rendered.attributes).toEqual(expect.arrayContaining(['th.align=left', 'td.align=right', 'ol.start=3']));
  });
});
