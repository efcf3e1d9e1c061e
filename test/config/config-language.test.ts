/**
 * A configuration that cannot be used is explained in Swedish (the default) or English: zod's
 * own English messages never reach a person. The bot prints the error's message (Swedish with
 * English beside it: no program, so no language, is known yet); the CLIs print the problems in
 * their language (`--lang`, else Swedish).
 */
import { ConfigError, loadConfig } from '../../config/config';
import { setupProblem } from '../../cli/common';

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error(`no ConfigError for ${JSON.stringify(env)}`);
}

describe('configuration errors in Swedish and English', () => {
  it('translates a number that is not a number (zod invalid_type), quoting the value', () => {
    const err = configError({ PORT: 'abc' });
    expect(err.problemsIn('sv-SE')).toEqual(['PORT: ska vara ett tal, inte "abc"']);
    expect(err.problemsIn('en-US')).toEqual(['PORT: expected a number, got "abc"']);
    expect(err.problems).toEqual(err.problemsIn('sv-SE'));
    expect(err.message).not.toMatch(/Expected number|received nan/);
  });

  it('translates limits (too_big, too_small) and integers', () => {
    expect(configError({ PORT: '70000' }).problemsIn('sv-SE')).toEqual(['PORT: får vara högst 65535']);
    expect(configError({ PORT: '70000' }).problemsIn('en-US')).toEqual(['PORT: must be at most 65535']);
    expect(configError({ SCHEDULER_TICK_SECONDS: '0' }).problemsIn('sv-SE')).toEqual([
      'SCHEDULER_TICK_SECONDS: ska vara minst 1',
    ]);
    expect(configError({ SCHEDULER_TICK_SECONDS: '0' }).problemsIn('en-US')).toEqual([
      'SCHEDULER_TICK_SECONDS: must be at least 1',
    ]);
    expect(configError({ PORT: '3.5' }).problemsIn('sv-SE')).toEqual(['PORT: ska vara ett heltal, inte "3.5"']);
    expect(configError({ PORT: '3.5' }).problemsIn('en-US')).toEqual(['PORT: expected an integer, got "3.5"']);
  });

  it('translates a value outside an enum (invalid_enum_value), listing the allowed ones', () => {
    const err = configError({ LOG_LEVEL: 'loud' });
    expect(err.problemsIn('sv-SE')).toEqual([
      'LOG_LEVEL: "loud" är inte tillåtet; välj ett av: fatal, error, warn, info, debug, trace, silent',
    ]);
    expect(err.problemsIn('en-US')).toEqual([
      'LOG_LEVEL: "loud" is not allowed; choose one of: fatal, error, warn, info, debug, trace, silent',
    ]);
  });

  it('translates our own checks: booleans (custom), TABLE_PREFIX (regex) and the app credentials', () => {
    const bool = configError({ SCHEDULER_ENABLED: 'kanske' });
    expect(bool.problemsIn('sv-SE')).toEqual([
      'SCHEDULER_ENABLED: ska vara sant eller falskt (true/false, yes/no, on/off, 1/0), inte "kanske"',
    ]);
    expect(bool.problemsIn('en-US')).toEqual([
      'SCHEDULER_ENABLED: expected true or false (true/false, yes/no, on/off, 1/0), got "kanske"',
    ]);

    const prefix = configError({ TABLE_PREFIX: '1bad' });
    expect(prefix.problemsIn('sv-SE')).toEqual([
      'TABLE_PREFIX: bara bokstäver och siffror, med en bokstav först, högst 21 tecken',
    ]);
    expect(prefix.problemsIn('en-US')).toEqual([
      'TABLE_PREFIX: letters and digits only, starting with a letter, at most 21 characters',
    ]);

    const app = configError({ MICROSOFT_APP_ID: 'x', MICROSOFT_APP_TYPE: 'SingleTenant' });
    expect(app.problemsIn('sv-SE')).toEqual([
      'MICROSOFT_APP_PASSWORD: krävs när MICROSOFT_APP_ID är satt (utom när MICROSOFT_APP_TYPE=UserAssignedMSI)',
      'MICROSOFT_APP_TENANT_ID: krävs när MICROSOFT_APP_TYPE=SingleTenant',
    ]);
    expect(app.problemsIn('en-US')).toEqual([
      'MICROSOFT_APP_PASSWORD: required when MICROSOFT_APP_ID is set (unless MICROSOFT_APP_TYPE=UserAssignedMSI)',
      'MICROSOFT_APP_TENANT_ID: required when MICROSOFT_APP_TYPE=SingleTenant',
    ]);
  });

  it('gives the bot a message in Swedish with the same in English beside it', () => {
    const err = configError({ PORT: '70000', SCHEDULER_ENABLED: 'kanske' });
    expect(err.message.split('\n')).toEqual([
      'Konfigurationen är inte giltig:',
      '  - PORT: får vara högst 65535',
      '  - SCHEDULER_ENABLED: ska vara sant eller falskt (true/false, yes/no, on/off, 1/0), inte "kanske"',
      'Invalid configuration:',
      '  - PORT: must be at most 65535',
      '  - SCHEDULER_ENABLED: expected true or false (true/false, yes/no, on/off, 1/0), got "kanske"',
    ]);
  });

  it('lets a CLI explain it in its language, header and problems alike', () => {
    const err = configError({ PORT: 'abc' });
    expect(setupProblem(err, 'sv-SE')).toEqual([
      'Konfigurationen är inte giltig:',
      '  - PORT: ska vara ett tal, inte "abc"',
    ]);
    expect(setupProblem(err, 'en-US')).toEqual(['Invalid configuration:', '  - PORT: expected a number, got "abc"']);
  });
});
