import { Agent as IndexAgent } from 'undici';
import { describe, expect, it } from 'vitest';
import { Agent } from '../../src/transport/agent.js';

describe("the undici transport's Agent", () => {
  it("is undici's own Agent, loaded without undici's index", () => {
    expect(Agent).toBe(IndexAgent);
  });
});
