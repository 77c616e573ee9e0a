import { lang, type Core } from '../core.js';
import * as v from '../validate.js';
import { chatPatchOf } from './lifecycle.js';

/**
 * After a chat (its rating, survey and transcript) and the email form: commands only their views
 * call, so they come in those views' chunks (`commands.extend(afterChat)`).
 */
export const afterChat = (core: Core) => {
  const chatPatch = chatPatchOf(core);
  const run = (task: Parameters<Core['run']>[1]) => core.run('lifecycle', task);
  return {
    rateChat(rating: unknown, feedback: unknown = ''): Promise<boolean> {
      if (!Number.isInteger(rating) || (rating as number) < 1 || (rating as number) > 5) v.fail('rateChat(rating)', 'expected a whole number from 1 to 5', rating);
      return run(async (port) => {
        await port.rateChat(rating as number, v.string('rateChat(rating, feedback)', feedback, { max: 2000 }));
        chatPatch({ rated: true });
      });
    },

    answerSurvey(answers: unknown): Promise<boolean> {
      return run(async (port) => {
        await port.answerSurvey(v.plainObject('answerSurvey(answers)', answers) as Record<string, string | number>);
        chatPatch({ surveyed: true });
      });
    },

    sendTranscript(email: unknown): Promise<boolean> {
      return run(async (port) => {
        await port.sendTranscript(v.string('sendTranscript(email)', email, { max: 320, empty: false }));
        chatPatch({ transcriptSent: true });
      });
    },

    sendEmail(input: unknown): Promise<boolean> {
      const given = v.plainObject('sendEmail(input)', input) as { name?: string; email: string; content: string; topicId: number };
      return run(async (port) => {
        await port.sendEmail({ ...given, lang: lang(core.state) });
        core.store.update({ notice: { kind: 'info', text: 'email-sent' } });
      });
    },

  };
};
