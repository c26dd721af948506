import { imageInputTokensOf } from '@switchyard/shared';

/**
 * What one image part may cost in input tokens, for models the price table gives no figure: above
 * Claude's ~1,600 (images are scaled to ~1.15 megapixels), GPT-4o's and 4.1's 1,445 (8 tiles), the
 * 4.1-mini/nano and o4-mini patch counts (≤ 3,779) and Gemini's 258 per 768 px tile of a large image.
 */
export const IMAGE_INPUT_TOKENS = 4_200;
// Anthropic adds a tool-use system prompt (up to ~530 tokens) once a request has tools.
const TOOLS_PROMPT_TOKENS = 600;
// A provider's own tool (computer use, text editor, web search) is defined by the provider, not the body.
const BUILT_IN_TOOL_TOKENS = 1_000;
/** Other providers' tokenizers count up to about twice what o200k counts on the same text. */
export const TOKENIZER_MARGIN = 2;

const IMAGE_PART_TYPES = new Set(['image_url', 'image', 'input_image']);
const CUSTOM_TOOL_TYPES = new Set(['function', 'custom']);

/** An upper bound of a request's input in tokens, before the model's image allowance. */
export type InputSize = {
  /** Tokens of everything but images' data. */
  textTokens: number;
  imageParts: number;
  /** Tokens a provider adds for the request's tools. */
  toolTokens: number;
  /** True when counted by the tokenizer, false when bounded by bytes. */
  counted: boolean;
};

const isImagePart = (value: unknown): value is { type: string } =>
  typeof value === 'object' && value !== null && IMAGE_PART_TYPES.has((value as { type?: unknown }).type as string);

/** Image parts and the characters they take in the body, found anywhere in it (tool results too). */
function imagesIn(body: unknown): { parts: number; characters: number } {
  const found = { parts: 0, characters: 0 };
  const pending: Array<{ value: unknown; depth: number }> = [{ value: body, depth: 0 }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value, depth } = next;
    if (typeof value !== 'object' || value === null || depth > 64) continue;
    if (isImagePart(value)) {
      found.parts += 1;
      found.characters += JSON.stringify(value).length;
      continue;
    }
    for (const child of Array.isArray(value) ? value : Object.values(value))
      pending.push({ value: child, depth: depth + 1 });
  }
  return found;
}

function toolTokensOf(body: unknown): number {
  const tools = (body as { tools?: unknown }).tools;
  if (!Array.isArray(tools) || tools.length === 0) return 0;
  const builtIn = tools.filter((tool) => {
    const type = (tool as { type?: unknown }).type;
    return typeof type === 'string' && !CUSTOM_TOOL_TYPES.has(type);
  }).length;
  return TOOLS_PROMPT_TOKENS + builtIn * BUILT_IN_TOOL_TOKENS;
}

/**
 * The free bound: every BPE token is at least one byte of UTF-8, and JSON escapes only lengthen
 * text, so the body's bytes bound its text's tokens. Images' data is left out (their allowance
 * bounds them); a JSON character is at most one byte of ASCII, so what is left out is never too much.
 */
export function inputSizeByBytes(options: { body: unknown; bodyBytes: number }): InputSize {
  const images = imagesIn(options.body);
  return {
    textTokens: Math.max(0, options.bodyBytes - images.characters),
    imageParts: images.parts,
    toolTokens: toolTokensOf(options.body),
    counted: false,
  };
}

/**
 * A tighter bound, for when the free one does not fit a budget: the body (structure included, images
 * as their type alone) counted with OpenAI's o200k tokenizer, times `TOKENIZER_MARGIN`, and never
 * above the byte bound. Loaded on first use: most processes never need it.
 */
export async function inputSizeByTokenizer(options: { body: unknown; bodyBytes: number }): Promise<InputSize> {
  const byBytes = inputSizeByBytes(options);
  const { countTokens } = await import('gpt-tokenizer/encoding/o200k_base');
  const text = JSON.stringify(options.body, (_key, value: unknown) =>
    isImagePart(value) ? { type: value.type } : value,
  );
  // Special tokens in the text are counted as the text they are, as providers treat user input.
  const tokens = countTokens(text, { disallowedSpecial: new Set() });
  return { ...byBytes, textTokens: Math.min(byBytes.textTokens, Math.ceil(tokens * TOKENIZER_MARGIN)), counted: true };
}

/** The bound for one model: its image allowance is the price table's, or the default. */
export function inputTokensFor(options: { size: InputSize; model: string }): number {
  const { size, model } = options;
  return size.textTokens + size.imageParts * (imageInputTokensOf(model) ?? IMAGE_INPUT_TOKENS) + size.toolTokens;
}
