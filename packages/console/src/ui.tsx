// Small shared pieces of the console: error text from a KmsError, a status badge that says its state in words (not
// colour alone), a copy button, a labelled field, date formatting, byte/base64/text conversions, a data loader hook.
import { useEffect, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';

/** `CODE: message` for a KmsError, the message for anything else. */
function errorText(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}

export function ErrorBox({ error }: { error: unknown }) {
  if (error === undefined || error === null) return null;
  return (
    <p class="error" role="alert">
      <span aria-hidden="true">⚠ </span>
      {errorText(error)}
    </p>
  );
}

/** A state as a word with a symbol, coloured too (never by colour alone). */
export function StateBadge({ state }: { state: string }) {
  const symbol: Record<string, string> = {
    Enabled: '●',
    Disabled: '○',
    PendingDeletion: '!',
    PendingImport: '…',
    Destroyed: '✕',
    allowed: '✓',
    denied: '✕',
    failed: '!',
  };
  return (
    <span class={`badge badge-${state}`}>
      <span aria-hidden="true">{symbol[state] ?? '•'} </span>
      {state}
    </span>
  );
}

export function CopyButton({ text, label }: { text: string; label: string }) {
  const [done, setDone] = useState(false);
  return (
    <button
      type="button"
      class="secondary"
      aria-label={label}
      onClick={() => {
        void navigator.clipboard.writeText(text).then(() => {
          setDone(true);
        });
      }}
    >
      {done ? 'Copied' : 'Copy'}
    </button>
  );
}

export function Field({ label, children, hint }: { label: string; children: ComponentChildren; hint?: string }) {
  return (
    <label class="field">
      <span class="field-label">{label}</span>
      {children}
      {hint !== undefined && <span class="hint">{hint}</span>}
    </label>
  );
}

export function when(date: Date | undefined): string {
  return date
    ? date
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, 'Z')
    : '';
}

export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

export function fromBase64(text: string): Uint8Array {
  const s = atob(text.trim());
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
export const fromUtf8 = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

/** Loads `load()` when `deps` change: [value, error, reload]. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): [T | undefined, unknown, () => void] {
  const [value, setValue] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setError(undefined);
    load().then(
      (v) => {
        if (live) setValue(v);
      },
      (e: unknown) => {
        if (live) setError(e);
      },
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  return [
    value,
    error,
    () => {
      setTick((t) => t + 1);
    },
  ];
}

/** The page's heading, focused on navigation so keyboard and screen-reader users land on it. */
export function PageTitle({ children }: { children: ComponentChildren }) {
  return (
    <h1 tabIndex={-1} id="page-title">
      {children}
    </h1>
  );
}
