import { describe, expect, it } from 'vitest';
import { compileFilterPattern, FilterPatternError } from '../src/servers/log-filter';

describe('filter patterns', () => {
  it('matches every term, one of the ?terms and none of the -terms, case-sensitively', () => {
    const match = compileFilterPattern('ERROR "store 0001" ?upload ?metrics -retry');
    expect(match('ERROR in store 0001 upload')).toBe(true);
    expect(match('ERROR in store 0001 metrics')).toBe(true);
    expect(match('ERROR in store 0001')).toBe(false);
    expect(match('error in store 0001 upload')).toBe(false);
    expect(match('ERROR in store 0001 upload, retry')).toBe(false);
    expect(compileFilterPattern('')('anything')).toBe(true);
  });

  it('compares fields of JSON messages, with && before || and * as a wildcard', () => {
    const match = compileFilterPattern('{ $.level = "ERR*" && $.count > 2 || $.error.name = NotFoundError }');
    expect(match('{"level":"ERROR","count":3}')).toBe(true);
    expect(match('{"level":"ERROR","count":2}')).toBe(false);
    expect(match('{"level":"INFO","error":{"name":"NotFoundError"}}')).toBe(true);
    expect(match('not json at all')).toBe(false);
    expect(compileFilterPattern('{ $.store != "0001" }')('{"store":"0002"}')).toBe(true);
  });

  it('refuses what it does not understand instead of matching nothing', () => {
    expect(() => compileFilterPattern('[ip, user]')).toThrow(FilterPatternError);
    expect(() => compileFilterPattern('{ $.level ~ "x" }')).toThrow(FilterPatternError);
    expect(() => compileFilterPattern('{ $.level > "x" }')).toThrow(FilterPatternError);
  });
});
