/** The operator-set domain of ONNX Runtime's contrib ops (GroupQueryAttention, MatMulNBits, …). */
export const MS_DOMAIN = 'com.microsoft';

/** The default ONNX domain, which models write as `''` or `'ai.onnx'`. */
export function isOnnxDomain(domain: string | undefined): boolean {
  return domain === undefined || domain === '' || domain === 'ai.onnx';
}
