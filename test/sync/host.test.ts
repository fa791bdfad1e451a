import { describe, expect, it } from 'vitest';
import { workerExecArgv } from '../../src/sync/host.js';

describe("the sync worker's Node options", () => {
  it('are the process options without those that only apply to the main script', () => {
    expect(workerExecArgv(['--import', 'tsx', '--input-type=module', '-e', 'code'])).toEqual([
      '--import',
      'tsx',
    ]);
    expect(workerExecArgv(['--input-type', 'module', '--eval', 'x', '--conditions=dev'])).toEqual([
      '--conditions=dev',
    ]);
    expect(workerExecArgv(['-p', '1+1'])).toEqual([]);
    expect(workerExecArgv(['--enable-source-maps'])).toEqual(['--enable-source-maps']);
  });
});
