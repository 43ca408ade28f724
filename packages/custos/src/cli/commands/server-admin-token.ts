// What `custos server` says about the admin token when it starts: only a file that exists.
// Must not import the store, service or api.
import { existsSync } from 'node:fs';

/**
 * Where the admin token is, as far as this start knows: the first start on a store writes it to its data directory;
 * a later node on a shared database has no such file (the token is in the first node's directory).
 */
export function adminTokenNote(
  server: { adminToken?: string; adminTokenFile: string },
  root: string | undefined,
): string {
  if (server.adminToken !== undefined || existsSync(server.adminTokenFile))
    return `admin token in ${server.adminTokenFile}`;
  if (root === 'shamir')
    return `a new store's first admin token is written to ${server.adminTokenFile} when it is first unsealed`;
  return `no admin token file here: ${server.adminTokenFile} does not exist, this store's first admin token was written to the data directory of the server that created it; or use a token made with custos token create`;
}
