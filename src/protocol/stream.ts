/**
 * The events of a visitor's realtime stream (`GET /api/widget/stream`, Server-Sent Events):
 * their names and payloads, as the server writes them and the client reads them.
 */
export interface VisitorStreamEvents {
  message: { message: unknown };
  'conversation.status': { conversation_id: string; status: string };
  'chat.updated': { chat_id: string; status: string };
  'chat.member_joined': { chat_id: string; member: { name: string | null; type: string } };
  'chat.member_left': { chat_id: string; member: { type: string } };
  availability: { available: boolean };
  read: { chat_id: string; message_id: string };
  typing: { chat_id: string; typing: boolean; name: string | null };
  /** The session now holds another person (identify, or another tab's): reload what belongs to them. */
  'session.switched': { switched: boolean };
  /** The AI agent begins an answer in a chat, from these help-center sources. */
  'ai.start': { chat_id: string; answer_id: string; sources: { n: number; title: string; locale: string; slug: string; heading: string | null }[] };
  /** The next piece of the answer's text, as the model writes it. */
  'ai.delta': { chat_id: string; answer_id: string; text: string };
  /** The answer is complete (stored as the message `message_id`, which came just before), or ended early: `stopped`, `error`. */
  'ai.end': { chat_id: string; answer_id: string; message_id: string; ended?: 'stopped' | 'error' };
}
export type VisitorStreamEvent = keyof VisitorStreamEvents;
