/** A stand-in for the bot's messenger in tests that only post: replies and updates are not expected. */
import type { ChannelTarget, Messenger, OutgoingMessage, PostedMessage, RosterMember } from '../../domain/delivery';

export abstract class PostingMessenger implements Messenger {
  abstract post(target: ChannelTarget, message: OutgoingMessage): Promise<PostedMessage>;
  async reply(): Promise<{ messageId: string }> {
    throw new Error('not used');
  }
  async update(): Promise<void> {
    throw new Error('not used');
  }
  async members(): Promise<RosterMember[]> {
    return [];
  }
}
