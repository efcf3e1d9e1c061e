/**
 * What the request log line says about an activity: words from fixed lists only, never what
 * anyone typed or chose on a card.
 */
import { describeActivity } from '../../bot/request-log';
import { VERBS } from '../../cards/verbs';

describe('describeActivity', () => {
  it('names a recognised command by its name, whichever synonym was typed, and nothing of the rest', () => {
    expect(describeActivity({ type: 'message', text: '<at>Kraftsamla</at> incheckning ny' })).toEqual({
      type: 'message',
      command: 'checkin',
    });
    expect(describeActivity({ type: 'message', text: 'koppla bostäder' })).toEqual({
      type: 'message',
      command: 'link',
    });
    expect(describeActivity({ type: 'message', text: 'link: Bostäder' })).toEqual({ type: 'message', command: 'link' });
    expect(describeActivity({ type: 'message', text: 'beslut Vi bygger 40 lägenheter' })).toEqual({
      type: 'message',
      command: 'decision',
    });
  });

  it('gives text that is no command no command at all', () => {
    expect(describeActivity({ type: 'message', text: 'Hemlig kommentar om budgeten' })).toEqual({ type: 'message' });
    expect(describeActivity({ type: 'message' })).toEqual({ type: 'message' });
    expect(JSON.stringify(describeActivity({ type: 'message', text: 'Hemlig kommentar om budgeten' }))).not.toContain(
      'Hemlig',
    );
  });

  it('names the verb of an Action.Execute invoke and of an Action.Submit message, never their inputs', () => {
    const execute = {
      type: 'invoke',
      name: 'adaptiveCard/action',
      value: {
        action: {
          type: 'Action.Execute',
          verb: VERBS.checkinAnswer,
          data: { teamKey: 'bostader', 'BOS-01.comment': 'Hemligt' },
        },
      },
    };
    expect(describeActivity(execute)).toEqual({ type: 'invoke', name: 'adaptiveCard/action', verb: 'checkin.answer' });
    const submit = { type: 'message', value: { verb: VERBS.decisionSubmit, title: 'Hemligt beslut' }, text: 'beslut' };
    expect(describeActivity(submit)).toEqual({ type: 'message', verb: 'decision.submit' });
    expect(JSON.stringify([describeActivity(execute), describeActivity(submit)])).not.toContain('Hemlig');
  });

  it('calls a verb no card has, or a strange type or name, unknown or other instead of repeating it', () => {
    expect(
      describeActivity({
        type: 'invoke',
        name: 'adaptiveCard/action',
        value: { action: { verb: 'Min hemliga text' } },
      }),
    ).toEqual({
      type: 'invoke',
      name: 'adaptiveCard/action',
      verb: 'unknown',
    });
    expect(describeActivity({ type: 'message', value: { verb: 'drop table' } })).toEqual({
      type: 'message',
      verb: 'unknown',
    });
    expect(describeActivity({ type: 'hej hej hej', text: 'hjälp' })).toEqual({ type: 'other' });
    expect(describeActivity({ type: 'invoke', name: 'något konstigt med mellanslag' })).toEqual({
      type: 'invoke',
      name: 'other',
    });
    expect(describeActivity({ type: 'invoke', name: 'fileConsent/invoke' })).toEqual({
      type: 'invoke',
      name: 'fileConsent/invoke',
    });
    expect(describeActivity({ type: 'conversationUpdate', text: 'koppla x' })).toEqual({ type: 'conversationUpdate' });
    expect(describeActivity(undefined)).toEqual({ type: 'other' });
    expect(describeActivity([1, 2])).toEqual({ type: 'other' });
    expect(describeActivity({ type: 'message', text: 'hjälp' }, new Set())).toEqual({
      type: 'message',
      command: 'help',
    });
  });
});
