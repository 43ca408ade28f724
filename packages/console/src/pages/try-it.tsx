// Try it: for a chosen key, the operations its usage allows (encrypt/decrypt, sign/verify, MAC generate/verify),
// with the algorithms its metadata lists, so an operator can check that a key works. Text in, base64 out and back.
import type { KeyMetadata } from '@custos/client';
import { useEffect, useState } from 'preact/hooks';
import type { Session } from '../session.js';
import { CopyButton, ErrorBox, Field, PageTitle, fromBase64, fromUtf8, toBase64, utf8 } from '../ui.js';

function Panel({ session, meta }: { session: Session; meta: KeyMetadata }) {
  const { kms } = session;
  const keyId = meta.keyId;
  const algorithms =
    meta.keyUsage === 'ENCRYPT_DECRYPT'
      ? (meta.encryptionAlgorithms ?? [])
      : meta.keyUsage === 'SIGN_VERIFY'
        ? (meta.signingAlgorithms ?? [])
        : (meta.macAlgorithms ?? []);
  const [algorithm, setAlgorithm] = useState(algorithms[0] ?? '');
  const [input, setInput] = useState('hello, Custos');
  const [output, setOutput] = useState('');
  const [check, setCheck] = useState('');
  const [result, setResult] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const go = (action: () => Promise<void>) => () => {
    setError(undefined);
    setResult('');
    action().catch(setError);
  };
  const alg = algorithm as never;
  const labels =
    meta.keyUsage === 'ENCRYPT_DECRYPT'
      ? { forward: 'Encrypt', out: 'Ciphertext (base64)', back: 'Decrypt' }
      : meta.keyUsage === 'SIGN_VERIFY'
        ? { forward: 'Sign', out: 'Signature (base64)', back: 'Verify' }
        : { forward: 'Generate MAC', out: 'MAC (base64)', back: 'Verify MAC' };
  if (!['ENCRYPT_DECRYPT', 'SIGN_VERIFY', 'GENERATE_VERIFY_MAC'].includes(meta.keyUsage)) {
    return <p role="status">Try it covers encryption, signing and MAC keys; this key is for {meta.keyUsage}.</p>;
  }
  const forward = async () => {
    const message = utf8(input);
    if (meta.keyUsage === 'ENCRYPT_DECRYPT') {
      const r = await kms.encrypt({ keyId, plaintext: message, encryptionAlgorithm: alg });
      setOutput(toBase64(r.ciphertextBlob));
    } else if (meta.keyUsage === 'SIGN_VERIFY') {
      const r = await kms.sign({ keyId, message, signingAlgorithm: alg });
      setOutput(toBase64(r.signature));
    } else {
      const r = await kms.generateMac({ keyId, message, macAlgorithm: alg });
      setOutput(toBase64(r.mac));
    }
  };
  const back = async () => {
    const blob = fromBase64(output);
    if (meta.keyUsage === 'ENCRYPT_DECRYPT') {
      const r = await kms.decrypt({ keyId, ciphertextBlob: blob, encryptionAlgorithm: alg });
      setCheck(fromUtf8(r.plaintext));
      setResult('Decrypted');
    } else if (meta.keyUsage === 'SIGN_VERIFY') {
      const r = await kms.verify({ keyId, message: utf8(input), signature: blob, signingAlgorithm: alg });
      setResult(r.signatureValid ? 'Signature valid' : 'Signature NOT valid');
    } else {
      const r = await kms.verifyMac({ keyId, message: utf8(input), mac: blob, macAlgorithm: alg });
      setResult(r.macValid ? 'MAC valid' : 'MAC NOT valid');
    }
  };
  return (
    <div class="stack">
      <Field label="Algorithm">
        <select
          name="algorithm"
          value={algorithm}
          onChange={(e) => {
            setAlgorithm(e.currentTarget.value);
          }}
        >
          {algorithms.map((a) => (
            <option value={a}>{a}</option>
          ))}
        </select>
      </Field>
      <Field label={meta.keyUsage === 'ENCRYPT_DECRYPT' ? 'Plaintext' : 'Message'}>
        <textarea
          name="input"
          rows={3}
          value={input}
          onInput={(e) => {
            setInput(e.currentTarget.value);
          }}
        />
      </Field>
      <button type="button" onClick={go(forward)}>
        {labels.forward}
      </button>
      <Field label={labels.out}>
        <textarea
          name="output"
          rows={4}
          value={output}
          onInput={(e) => {
            setOutput(e.currentTarget.value);
          }}
        />
      </Field>
      {output !== '' && <CopyButton text={output} label={`Copy ${labels.out}`} />}
      <button type="button" onClick={go(back)} disabled={output === ''}>
        {labels.back}
      </button>
      {meta.keyUsage === 'ENCRYPT_DECRYPT' && (
        <Field label="Decrypted plaintext">
          <output name="decrypted" data-testid="decrypted">
            {check}
          </output>
        </Field>
      )}
      {result !== '' && (
        <p role="status" class="notice">
          {result}
        </p>
      )}
      <ErrorBox error={error} />
    </div>
  );
}

export function TryItPage({ session, keyId: initial }: { session: Session; keyId: string }) {
  const [keyId, setKeyId] = useState(initial);
  const [meta, setMeta] = useState<KeyMetadata | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const load = (id: string) => {
    setError(undefined);
    setMeta(undefined);
    session.kms.describeKey({ keyId: id }).then((r) => {
      setMeta(r.keyMetadata);
    }, setError);
  };
  useEffect(() => {
    if (initial !== '') load(initial);
  }, [initial]);
  return (
    <section>
      <PageTitle>Try it</PageTitle>
      <form
        class="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          load(keyId.trim());
        }}
      >
        <Field label="Key" hint="key id, alias/name or ARN">
          <input
            name="keyId"
            value={keyId}
            onInput={(e) => {
              setKeyId(e.currentTarget.value);
            }}
          />
        </Field>
        <button type="submit">Choose key</button>
      </form>
      <ErrorBox error={error} />
      {meta && (
        <>
          <p>
            {meta.keyId}: {meta.keySpec}, {meta.keyUsage}, {meta.keyState}
          </p>
          <Panel key={meta.keyId} session={session} meta={meta} />
        </>
      )}
    </section>
  );
}
