"""Verifiable Credentials, pure Python (no Django): JSON-LD with bundled contexts, the
eddsa-rdfc-2022 Data Integrity cryptosuite, Multikey / did:key, and Bitstring Status Lists."""
