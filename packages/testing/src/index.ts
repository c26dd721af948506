// Test fixtures more than one package uses. Server-only harness (test-app, backends, webhook
// receiver) stays in packages/server/test; nothing here may import a package's internals.
export {
  ANTHROPIC_REPLY,
  ANTHROPIC_THINKING,
  ANTHROPIC_TOKEN_COUNT,
  ANTHROPIC_USAGE,
  type FakeAnthropic,
  startFakeAnthropic,
} from './fake-anthropic.js';
export { type FakeGemini, GEMINI_REPLY, GEMINI_USAGE, startFakeGemini } from './fake-gemini.js';
export { FAKE_REPLY, FAKE_USAGE, type FakeOpenAi, startFakeOpenAi } from './fake-openai.js';
export { listenOnLoopback } from './loopback-server.js';
