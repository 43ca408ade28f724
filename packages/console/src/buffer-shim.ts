// The two Buffer calls @custos/contract's wire codec makes (wire.ts: base64 in and out), for the browser, which has
// no Buffer. Installed before the first API call; Node's Buffer is never replaced. It stays rather than wire.ts
// changing: that codec runs on every request body in the server, where Buffer's native base64 is the fast path, and
// @custos/client itself needs no Buffer in the browser (its Buffer uses are in the Node-only stream module).

function fromBase64(text: string): Uint8Array {
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    return new Uint8Array(0); // the codec then sees the wrong length and rejects the text, as with Node's Buffer
  }
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

function view(bytes: Uint8Array) {
  return Object.assign(bytes, {
    toString(encoding?: string): string {
      if (encoding !== 'base64') return new TextDecoder().decode(bytes);
      let binary = '';
      for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(binary);
    },
  });
}

const BrowserBuffer = {
  from(value: string | ArrayBufferLike, encodingOrOffset?: string | number, length?: number) {
    if (typeof value === 'string') return view(fromBase64(value));
    return view(new Uint8Array(value, encodingOrOffset as number | undefined, length));
  },
};

export function installBufferShim(): void {
  const scope = globalThis as { Buffer?: unknown };
  scope.Buffer ??= BrowserBuffer;
}
