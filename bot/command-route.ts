import type { TurnContext } from 'botbuilder';
import { parseCommand, type CommandName, type ParsedCommand } from '../domain/commands';

/** A teams-ai route selector for a text command (Swedish or English synonym). */
export function command(name: CommandName): (context: TurnContext) => Promise<boolean> {
  return async (context) =>
    context.activity.type === 'message' &&
    typeof context.activity.text === 'string' &&
    parseCommand(context.activity.text)?.name === name;
}

export function argsOf(context: TurnContext): string {
  return (parseCommand(context.activity.text ?? '') as ParsedCommand | undefined)?.args ?? '';
}
