import { ModelDirError } from './ModelDirError';

/** ONNX Runtime's wordings for an operator it has no schema or no CPU kernel for. */
const UNKNOWN_OP = [
  // Fatal error: org.example:Sqrt(-1) is not a registered function/op
  /(?<domain>[\w.]*):(?<op>\w+)\((?<version>-?\d+)\) is not a registered function\/op/,
  // In Node, ("<name>", SquareRootPlus, "", -1) : (...) -> (...) , Error No Op registered
  /In Node, \("(?<node>[^"]*)", (?<op>\w+), "(?<domain>[^"]*)", (?<version>-?\d+)\)[^\n]*No Op registered/,
  // Could not find an implementation for Foo(7) node with name 'bar'
  /Could not find an implementation for (?<op>\w+)\((?<version>\d+)\) node with name '(?<node>[^']*)'/,
];

/**
 * The typed error for ONNX Runtime refusing to open a graph: an operator it has no kernel
 * for, an operator-set version it does not know, or anything else (`MODEL_SESSION_FAILED`).
 */
export function sessionFailure(modelPath: string, cause: unknown): ModelDirError {
  const message = cause instanceof Error ? cause.message : String(cause);
  for (const pattern of UNKNOWN_OP) {
    const groups = pattern.exec(message)?.groups;
    if (!groups) continue;
    const op = groups.domain ? `${groups.domain}.${groups.op}` : groups.op;
    return new ModelDirError(
      'MODEL_OP_UNSUPPORTED',
      `${modelPath} uses ${op}, an operator ONNX Runtime's CPU provider does not run`,
      { details: `${groups.node ? `node "${groups.node}": ` : ''}${message}`, cause },
    );
  }
  if (/ValidateOpsetForDomain|opset version|Unsupported model IR version/i.test(message)) {
    return new ModelDirError(
      'MODEL_OPSET_UNSUPPORTED',
      `${modelPath} needs an operator set or IR version this ONNX Runtime does not support`,
      { details: message, cause },
    );
  }
  return new ModelDirError('MODEL_SESSION_FAILED', `ONNX Runtime cannot open ${modelPath}`, {
    details: message,
    cause,
  });
}
