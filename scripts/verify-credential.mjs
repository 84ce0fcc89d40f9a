#!/usr/bin/env node
// Verify a Ladder credential without Ladder's code: an independent check with the npm `jose`
// package (https://github.com/panva/jose) and Node's own fetch and zlib.
//
//   node scripts/verify-credential.mjs https://ladder.example.nhs.uk/credentials/<id>/
//   node scripts/verify-credential.mjs ./ladder-credential-<id>.jwt
//
// It checks, and prints as JSON (exit 0 when valid, 1 when not, 2 on bad usage):
//   1. the signature: the JWS header's `kid` names a key in the issuer's did:web document,
//      fetched over HTTPS (plain HTTP only for localhost and 127.0.0.1, for tests), and the
//      token verifies with it (EdDSA or ES256);
//   2. the Open Badges 3.0 shape: contexts, types, issuer, achievement, and the JWT claims
//      (iss = issuer.id, jti = id, nbf = validFrom, exp = validUntil);
//   3. the dates: not before validFrom, not after validUntil;
//   4. every credentialStatus entry: the Bitstring Status List credential is fetched, its own
//      signature checked the same way, its encodedList un-gzipped, and the bit at
//      statusListIndex (bit 0 = the most significant bit of the first byte) must be 0.
import { readFile } from "node:fs/promises";
import { gunzipSync } from "node:zlib";
import { compactVerify, decodeProtectedHeader, importJWK } from "jose";

const VC_CONTEXT = "https://www.w3.org/ns/credentials/v2";
const OB_CONTEXT_PREFIX = "https://purl.imsglobal.org/spec/ob/v3p0/context";
const ALGORITHMS = ["EdDSA", "ES256"];

class Invalid extends Error {}

function didWebUrl(did) {
  // did:web:<host>[:path...] -> https://<host>/<path>/did.json (no path: /.well-known/did.json)
  const parts = did.split(":");
  if (parts.length < 3 || parts[0] !== "did" || parts[1] !== "web") throw new Invalid(`not a did:web: ${did}`);
  const host = decodeURIComponent(parts[2]);
  const path = parts.slice(3).map(decodeURIComponent);
  const local = /^(localhost|127\.0\.0\.1)(:\d+)?$/.test(host);
  const scheme = local ? "http" : "https";
  return `${scheme}://${host}/${path.length ? path.join("/") : ".well-known"}/did.json`;
}

async function fetchOk(url, accept) {
  const response = await fetch(url, { headers: { Accept: accept } });
  if (!response.ok) throw new Invalid(`${url} answered ${response.status}`);
  return response;
}

// Verify a compact JWS against the key its header names in the issuer's DID document.
async function verifyJws(token) {
  let header;
  try {
    header = decodeProtectedHeader(token);
  } catch (error) {
    throw new Invalid(`not a compact JWS: ${error.message}`);
  }
  if (!ALGORITHMS.includes(header.alg)) throw new Invalid(`algorithm ${header.alg} is not accepted`);
  if (!header.kid || !header.kid.includes("#")) throw new Invalid("the header's kid names no DID key");
  const did = header.kid.split("#")[0];
  const document = await (await fetchOk(didWebUrl(did), "application/did+json, application/json")).json();
  if (document.id !== did) throw new Invalid(`the DID document is for ${document.id}, not ${did}`);
  const method = (document.verificationMethod || []).find(
    (m) => m.id === header.kid || `${did}${m.id}` === header.kid,
  );
  if (!method || !method.publicKeyJwk) throw new Invalid(`${header.kid} is not in the issuer's DID document`);
  const assertion = (document.assertionMethod || []).map((m) => (typeof m === "string" ? m : m.id));
  if (!assertion.includes(method.id)) throw new Invalid(`${header.kid} is not an assertion method`);
  const key = await importJWK(method.publicKeyJwk, header.alg);
  let result;
  try {
    result = await compactVerify(token, key, { algorithms: ALGORITHMS });
  } catch (error) {
    throw new Invalid(`the signature does not verify: ${error.code || error.message}`);
  }
  return { did, header, payload: JSON.parse(new TextDecoder().decode(result.payload)) };
}

function checkShapeAndClaims(vc, did) {
  const contexts = vc["@context"] || [];
  if (contexts[0] !== VC_CONTEXT) throw new Invalid("the first @context is not the VC 2.0 context");
  if (!contexts.some((c) => typeof c === "string" && c.startsWith(OB_CONTEXT_PREFIX))) throw new Invalid("no Open Badges 3.0 context");
  const types = vc.type || [];
  if (!types.includes("VerifiableCredential") || !types.includes("OpenBadgeCredential")) throw new Invalid("not an OpenBadgeCredential");
  const issuer = typeof vc.issuer === "string" ? vc.issuer : vc.issuer?.id;
  if (issuer !== did) throw new Invalid(`issued by ${issuer} but signed by ${did}`);
  if (vc.iss !== issuer) throw new Invalid("iss is not the issuer");
  if (vc.jti !== vc.id) throw new Invalid("jti is not the credential id");
  const achievement = vc.credentialSubject?.achievement;
  if (!achievement || !(achievement.type || []).includes("Achievement") || !achievement.name || !achievement.criteria) {
    throw new Invalid("the credentialSubject has no achievement with a name and criteria");
  }
  if (!vc.validFrom || vc.nbf !== Math.floor(Date.parse(vc.validFrom) / 1000)) throw new Invalid("nbf is not validFrom");
  if (vc.validUntil && vc.exp !== Math.floor(Date.parse(vc.validUntil) / 1000)) throw new Invalid("exp is not validUntil");
  return achievement;
}

function checkDates(vc, now) {
  if (vc.nbf && now < vc.nbf) throw new Invalid(`not valid before ${vc.validFrom}`);
  if (vc.exp && now >= vc.exp) throw new Invalid(`expired on ${vc.validUntil}`);
}

function bitAt(encodedList, index) {
  if (!encodedList.startsWith("u")) throw new Invalid("encodedList is not multibase base64url");
  const bits = gunzipSync(Buffer.from(encodedList.slice(1), "base64url"));
  if (bits.length * 8 < 131072) throw new Invalid("the status list is shorter than 131,072 entries");
  if (index < 0 || index >= bits.length * 8) throw new Invalid(`status index ${index} is outside the list`);
  return (bits[Math.floor(index / 8)] >> (7 - (index % 8))) & 1;
}

async function checkStatus(vc, did) {
  const entries = Array.isArray(vc.credentialStatus) ? vc.credentialStatus : vc.credentialStatus ? [vc.credentialStatus] : [];
  const results = {};
  for (const entry of entries) {
    if (entry.type !== "BitstringStatusListEntry") continue;
    const token = (await (await fetchOk(entry.statusListCredential, "application/vc+jwt")).text()).trim();
    const list = await verifyJws(token);
    const listVc = list.payload;
    if (list.did !== did) throw new Invalid("the status list is signed by another issuer");
    if (!(listVc.type || []).includes("BitstringStatusListCredential")) throw new Invalid("not a BitstringStatusListCredential");
    if (listVc.id !== entry.statusListCredential) throw new Invalid("the status list is not the one the entry names");
    const subject = listVc.credentialSubject;
    if (subject.statusPurpose !== entry.statusPurpose) throw new Invalid("the status list's purpose differs from the entry's");
    const bit = bitAt(subject.encodedList, Number.parseInt(entry.statusListIndex, 10));
    results[entry.statusPurpose] = bit;
    if (bit) throw Object.assign(new Invalid(`${entry.statusPurpose === "revocation" ? "revoked" : entry.statusPurpose === "suspension" ? "suspended" : entry.statusPurpose}`), { status: results });
  }
  if (!("revocation" in results)) throw new Invalid("no revocation status entry");
  return results;
}

async function main() {
  const source = process.argv[2];
  if (!source) {
    console.error("usage: node verify-credential.mjs <credential URL | .jwt file>");
    process.exit(2);
  }
  const report = { source, valid: false };
  try {
    const token = /^https?:\/\//.test(source)
      ? (await (await fetchOk(source, "application/vc+jwt")).text()).trim()
      : (await readFile(source, "utf8")).trim();
    const { did, header, payload } = await verifyJws(token);
    report.issuer = did;
    report.kid = header.kid;
    report.signature = "verified";
    const achievement = checkShapeAndClaims(payload, did);
    report.achievement = achievement.name;
    report.subject = (payload.credentialSubject.identifier || [])[0]?.identityHash;
    report.validFrom = payload.validFrom;
    report.validUntil = payload.validUntil || null;
    checkDates(payload, Math.floor(Date.now() / 1000));
    report.status = await checkStatus(payload, did);
    report.valid = true;
  } catch (error) {
    if (!(error instanceof Invalid)) throw error;
    report.error = error.message;
    if (error.status) report.status = error.status;
  }
  console.log(JSON.stringify(report, null, 2));
  process.exit(report.valid ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  process.exit(2);
});
