export const LOG_PAYLOADS_HELP =
  'When on, Switchyard stores the inputs and outputs (prompts, messages and completions) of gateway calls and ingested traces, so you can read them under Requests. When off, only metadata is kept: model, tokens, cost, latency and status. The change applies to calls from now on; what is already stored stays.';
