/** Thrown inside a render when the template goes beyond its budget; renderChatTemplate turns it into TOKENIZER_TEMPLATE_BUDGET. */
export class TemplateBudgetExceeded extends Error {
  override name = 'TemplateBudgetExceeded';
}
