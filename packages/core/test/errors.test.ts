import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  InvalidEventError,
  NotFoundError,
  TillflowError,
  TransientError,
  ValidationError,
} from '../src/errors';
import { RejectedFileError } from '../src/store-file';

describe('error names', () => {
  const classes = [
    ['ValidationError', ValidationError],
    ['InvalidEventError', InvalidEventError],
    ['RejectedFileError', RejectedFileError],
    ['NotFoundError', NotFoundError],
    ['ConfigError', ConfigError],
    ['TransientError', TransientError],
  ] as const;

  it.each(classes)('%s keeps its name when the class is renamed, as a minifier does', (name, Class) => {
    // An anonymous subclass stands for the minified class: its own class name is '' (or whatever esbuild picks).
    const Renamed = class extends (Class as typeof ValidationError) {};
    expect(new Renamed('m').name).toBe(name);
    expect(new (Class as typeof ValidationError)('m').name).toBe(name);
  });

  it('names the base class too, and only TransientError is retryable', () => {
    expect(new TillflowError('X', 'm').name).toBe('TillflowError');
    expect(new TransientError('m').retryable).toBe(true);
    expect(new InvalidEventError('m').retryable).toBe(false);
    expect(new InvalidEventError('m').code).toBe('VALIDATION_ERROR');
    expect(String(new ConfigError('BUCKET_NAME: is required'))).toBe('ConfigError: BUCKET_NAME: is required');
  });
});
