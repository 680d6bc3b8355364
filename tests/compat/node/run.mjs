// One compatibility case against Voile, run by tests/compat/test_node.py:
//   node run.mjs <case>
// Voile's URLs, the app key and the prompt come from the environment; the result is one JSON
// object on stdout, for the test to compare with the original values (never printed elsewhere).
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { createOpenAI } from '@ai-sdk/openai';
import { generateObject, generateText, stepCountIs, streamText, tool } from 'ai';
import { z } from 'zod';

const env = process.env;
const PROMPT = env.VOILE_PROMPT;
const MODEL = 'gpt-4o-mini';
const CLAUDE = 'claude-sonnet-4-6';
const TOOL = 'file_customer';
const DESCRIPTION = "File the customer's name and postal address; returns a receipt.";
const receipt = ({ name, address }) => `Filed ${name} at ${address}`;
const customer = z.object({
  name: z.string(), address: z.string(), folder: z.string(), colleague: z.string(),
});
const openai = () => new OpenAI({
  baseURL: env.VOILE_OPENAI_URL, apiKey: env.VOILE_KEY, maxRetries: 0, timeout: 30000,
});
const anthropic = () => new Anthropic({
  baseURL: env.VOILE_ANTHROPIC_URL, apiKey: env.VOILE_KEY, maxRetries: 0, timeout: 30000,
});
const aiOpenAI = () => createOpenAI({ baseURL: env.VOILE_OPENAI_URL, apiKey: env.VOILE_KEY });
const user = [{ role: 'user', content: PROMPT }];
const openaiTools = [{
  type: 'function',
  function: {
    name: TOOL, description: DESCRIPTION,
    parameters: {
      type: 'object', required: ['name', 'address'],
      properties: { name: { type: 'string' }, address: { type: 'string' } },
    },
  },
}];
const anthropicTools = [{
  name: TOOL, description: DESCRIPTION, input_schema: openaiTools[0].function.parameters,
}];
const schemaFormat = {
  type: 'json_schema',
  json_schema: {
    name: 'Customer', strict: true,
    schema: {
      type: 'object', additionalProperties: false,
      required: ['name', 'address', 'folder', 'colleague'],
      properties: Object.fromEntries(
        ['name', 'address', 'folder', 'colleague'].map((k) => [k, { type: 'string' }])),
    },
  },
};

const cases = {
  async 'openai-plain'() {
    const completion = await openai().chat.completions.create({ model: MODEL, messages: user });
    return { text: completion.choices[0].message.content };
  },
  async 'openai-stream'() {
    const stream = await openai().chat.completions.create(
      { model: MODEL, messages: user, stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    return { text };
  },
  async 'openai-tool'() {
    const client = openai();
    const messages = [...user];
    const first = await client.chat.completions.create(
      { model: MODEL, messages, tools: openaiTools });
    const call = first.choices[0].message.tool_calls[0];
    const args = JSON.parse(call.function.arguments);
    messages.push(first.choices[0].message);
    messages.push({ role: 'tool', tool_call_id: call.id, content: receipt(args) });
    const final = await client.chat.completions.create(
      { model: MODEL, messages, tools: openaiTools });
    return { args, text: final.choices[0].message.content };
  },
  async 'openai-json-schema'() {
    const completion = await openai().chat.completions.create(
      { model: MODEL, messages: user, response_format: schemaFormat });
    return { object: JSON.parse(completion.choices[0].message.content) };
  },
  async 'openai-json-schema-stream'() {
    const stream = openai().chat.completions.stream(
      { model: MODEL, messages: user, response_format: schemaFormat });
    const final = await stream.finalChatCompletion();
    return { object: JSON.parse(final.choices[0].message.content) };
  },
  async 'anthropic-plain'() {
    const message = await anthropic().messages.create(
      { model: CLAUDE, max_tokens: 256, messages: user });
    return { text: message.content.map((b) => b.text ?? '').join('') };
  },
  async 'anthropic-stream'() {
    const stream = anthropic().messages.stream({ model: CLAUDE, max_tokens: 256, messages: user });
    let text = '';
    stream.on('text', (delta) => { text += delta; });
    const final = await stream.finalMessage();
    return { text, final: final.content.map((b) => b.text ?? '').join('') };
  },
  async 'anthropic-tool'() {
    const client = anthropic();
    const messages = [...user];
    const first = await client.messages.create(
      { model: CLAUDE, max_tokens: 256, messages, tools: anthropicTools });
    const use = first.content.find((b) => b.type === 'tool_use');
    messages.push({ role: 'assistant', content: first.content });
    messages.push({ role: 'user', content: [
      { type: 'tool_result', tool_use_id: use.id, content: receipt(use.input) }] });
    const final = await client.messages.create(
      { model: CLAUDE, max_tokens: 256, messages, tools: anthropicTools });
    return { args: use.input, text: final.content.map((b) => b.text ?? '').join('') };
  },
  async 'ai-generate-text'() {
    const { text } = await generateText(
      { model: aiOpenAI()(MODEL), prompt: PROMPT, maxRetries: 0 });
    return { text };
  },
  async 'ai-stream-text'() {
    const result = streamText({ model: aiOpenAI()(MODEL), prompt: PROMPT, maxRetries: 0 });
    let text = '';
    for await (const delta of result.textStream) text += delta;
    return { text };
  },
  async 'ai-tool'() {
    let args = null;
    const { text } = await generateText({
      model: aiOpenAI()(MODEL), prompt: PROMPT, maxRetries: 0, stopWhen: stepCountIs(3),
      tools: {
        [TOOL]: tool({
          description: DESCRIPTION,
          inputSchema: z.object({ name: z.string(), address: z.string() }),
          execute: async (input) => { args = input; return receipt(input); },
        }),
      },
    });
    return { args, text };
  },
  async 'ai-generate-object'() {
    const { object } = await generateObject(
      { model: aiOpenAI()(MODEL), schema: customer, prompt: PROMPT, maxRetries: 0 });
    return { object };
  },
  async 'ai-generate-object-chat'() {
    const { object } = await generateObject(
      { model: aiOpenAI().chat(MODEL), schema: customer, prompt: PROMPT, maxRetries: 0 });
    return { object };
  },
};

const name = process.argv[2];
if (!(name in cases)) {
  console.error(`unknown case ${name}`);
  process.exit(2);
}
try {
  process.stdout.write(JSON.stringify(await cases[name]()));
} catch (error) {
  // The error's class, and for an HTTP error its status and Voile's message (which names a
  // field, never a value). Not the message of a parse error: it quotes the answer.
  const status = error?.status ?? error?.statusCode ?? null;
  console.error(JSON.stringify({
    error: error?.constructor?.name ?? typeof error, status,
    code: error?.error?.error?.details?.error_code ?? null,
    message: status === null ? null : String(error?.message).slice(0, 300),
  }));
  process.exit(1);
}
