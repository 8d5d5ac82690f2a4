// Drives a Killswitch OfrepServer with the official OpenFeature JS server SDK and its OFREP provider.
// Usage: node conformance.mjs <base-url>
// Phase 1 evaluates every flag type, a missing flag, a type mismatch and a disabled flag through the SDK, and the bulk
// endpoint's ETag path with fetch (the server-side OFREP provider only calls single evaluation; bulk + ETag is what
// the web provider uses), and prints the results as one JSON line.
// Phase 2 waits for a line on stdin (the test switches the served variants in between), evaluates again through the
// same client and prints a second JSON line: a live switch must reach a running client without a restart.
import { OpenFeature } from '@openfeature/server-sdk';
import { OFREPProvider } from '@openfeature/ofrep-provider';

const baseUrl = process.argv[2]?.replace(/\/+$/, ''); // the provider appends /ofrep/v1/...
if (!baseUrl) {
  console.error('usage: node conformance.mjs <base-url>');
  process.exit(2);
}

await OpenFeature.setProviderAndWait(new OFREPProvider({ baseUrl }));
const client = OpenFeature.getClient();

const details = (d) => ({
  value: d.value,
  variant: d.variant ?? null,
  reason: d.reason ?? null,
  errorCode: d.errorCode ?? null,
  errorMessage: d.errorMessage ?? null,
  flagMetadata: d.flagMetadata ?? {},
});

const bulkUrl = `${baseUrl}/ofrep/v1/evaluate/flags`;
const bulk = async (etag) => {
  const headers = { 'Content-Type': 'application/json' };
  if (etag) headers['If-None-Match'] = etag;
  const response = await fetch(bulkUrl, { method: 'POST', headers, body: JSON.stringify({ context: { targetingKey: 'user-1' } }) });
  const text = await response.text();
  return { status: response.status, etag: response.headers.get('etag'), flags: text ? JSON.parse(text).flags.length : null };
};

const first = await bulk(null);
const results = {
  boolean: details(await client.getBooleanDetails('new-checkout', false)),
  string: details(await client.getStringDetails('checkout-flow', 'fallback')),
  integer: details(await client.getNumberDetails('max-items', -1)),
  float: details(await client.getNumberDetails('discount-rate', -1)),
  object: details(await client.getObjectDetails('theme', { fallback: true })),
  missing: details(await client.getBooleanDetails('no-such-flag', true)),
  mismatch: details(await client.getBooleanDetails('checkout-flow', true)),
  disabled: details(await client.getStringDetails('retired-banner', 'code-default')),
  bulkFirst: first,
  bulkSameEtag: await bulk(first.etag),
  bulkStaleEtag: await bulk('"stale"'),
};
console.log(JSON.stringify(results));

const readLine = () => new Promise((resolve) => {
  process.stdin.setEncoding('utf8');
  process.stdin.once('data', (chunk) => resolve(chunk));
});
await readLine();
const switched = {
  boolean: details(await client.getBooleanDetails('new-checkout', true)),
  string: details(await client.getStringDetails('checkout-flow', 'fallback')),
  bulk: await bulk(first.etag),
};
console.log(JSON.stringify(switched));
process.stdin.destroy();

await OpenFeature.close();
