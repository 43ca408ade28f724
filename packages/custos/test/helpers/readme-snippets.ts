// The README's runnable snippets: every fenced block whose first line is a comment naming a file (`// app.mjs: …`,
// `# aws-cli.sh: …`), so that the tests run what a reader copies, not a copy of it.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const README = fileURLToPath(new URL('../../../../README.md', import.meta.url));

/** The README's snippets by file name, each with the server address replaced by `endpoint` when one is given. */
export function readmeSnippets(endpoint?: string): ReadonlyMap<string, string> {
  const text = readFileSync(README, 'utf8');
  const snippets = new Map<string, string>();
  for (const [, body] of text.matchAll(/^```\w*\n([\s\S]*?)^```$/gm)) {
    const name = /^(?:\/\/|#) ([\w.-]+\.(?:mjs|sh|py))\b/.exec(body!)?.[1];
    if (!name) continue;
    if (snippets.has(name)) throw new Error(`README.md names two snippets ${name}`);
    snippets.set(name, endpoint ? body!.replaceAll('http://127.0.0.1:7300', endpoint) : body!);
  }
  return snippets;
}

/** The snippet `name`; an Error when the README has none (a renamed snippet fails its test, never skips it). */
export function readmeSnippet(snippets: ReadonlyMap<string, string>, name: string): string {
  const body = snippets.get(name);
  if (body === undefined) throw new Error(`README.md has no snippet named ${name}`);
  return body;
}
