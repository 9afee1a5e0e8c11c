import { ConfigError } from '@tillflow/core';
import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import { Env, readConfig } from '../src/config';

describe('readConfig', () => {
  it('reads typed values, lists and defaults', () => {
    const config = readConfig(
      {
        BUCKET_NAME: Env.BUCKET_NAME,
        EXPECTED_STORES: Env.EXPECTED_STORES,
        UPLOAD_URL_EXPIRES_SECONDS: Env.UPLOAD_URL_EXPIRES_SECONDS,
      },
      { BUCKET_NAME: 'tillflow-local', EXPECTED_STORES: '0001, 0002,0003' },
    );
    expect(config).toEqual({
      BUCKET_NAME: 'tillflow-local',
      EXPECTED_STORES: ['0001', '0002', '0003'],
      UPLOAD_URL_EXPIRES_SECONDS: 900,
    });
  });

  it('fails naming the variable that is missing', () => {
    expect(() => readConfig({ SALES_TABLE: Env.SALES_TABLE }, {})).toThrow(/SALES_TABLE.*not set/);
    expect(() => readConfig({ SALES_TABLE: Env.SALES_TABLE }, {})).toThrow(ConfigError);
  });

  it('fails naming the variable whose value is wrong', () => {
    expect(() => readConfig({ EXPECTED_STORES: Env.EXPECTED_STORES }, { EXPECTED_STORES: '0001,12' })).toThrow(
      /EXPECTED_STORES/,
    );
    expect(() =>
      readConfig(
        { UPLOAD_URL_EXPIRES_SECONDS: Env.UPLOAD_URL_EXPIRES_SECONDS },
        { UPLOAD_URL_EXPIRES_SECONDS: '7200' },
      ),
    ).toThrow(/UPLOAD_URL_EXPIRES_SECONDS.*7200/);
    expect(() => readConfig({ N: Type.Integer() }, { N: 'ten' })).toThrow(/N:/);
  });
});
