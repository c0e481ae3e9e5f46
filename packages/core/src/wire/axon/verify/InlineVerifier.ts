/**
 * The name `InlineSignatures` had before the threads also signed responses. Only the axon's
 * fuzz target (packages/core/test/fuzz/axonRequest.test.ts) still imports it from here; the
 * package exports `InlineSignatures`.
 */
export { InlineSignatures as InlineVerifier } from '../signatures/InlineSignatures';
